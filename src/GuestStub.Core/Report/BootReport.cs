using GuestStub.Boot;
using GuestStub.ExtendedRegions;
using GuestStub.Peers;
using GuestStub.Platform;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Report;

/// <summary>
/// The report of a boot, written from each stage's result as the pipeline hands it over: the
/// "GuestStub: ..." lines for people and the <c>report &lt;key&gt; &lt;value&gt;</c> lines for
/// scripts (<see cref="ReportLine"/>). Keys, in order: those of <see cref="XenSetupReport"/>,
/// of <see cref="ExtendedRegionReport"/>, of <see cref="ScratchReport"/>, then grant.selftest,
/// teardown, status. Without a hypervisor node: hypervisor none, status ok.
/// </summary>
public struct BootReport<TSink> : IBootObserver where TSink : struct, ITextSink
{
    private TSink _sink;

    public BootReport(TSink sink) => _sink = sink;

    public readonly TSink Sink => _sink;

    public void Starting(in BootFacts facts, in BootOptions options)
    {
        if (!facts.Hypervisor.Found)
            _sink.Write("GuestStub: no hypervisor node: nothing to set up with Xen\n"u8);
        else if (options.BadDomid)
            _sink.Write("GuestStub: warning: gueststub.domid= is not a domid (0..32751): ignored\n"u8);
    }

    public void RunStarting(ulong run) => ReportLine.Decimal(ref _sink, "boot.run"u8, run);

    public void OtherDomainsWaited(in OtherDomainsResult others) => OtherDomainsReport.Write(ref _sink, others);

    public void XenSetUp(in XenSetupResult xen) => XenSetupReport.Write(ref _sink, xen);

    public void EventChannelsOpened(in EventChannelResult events) => EventChannelReport.Opened(ref _sink, events);

    public void EventChannelsClosed(XenFailure failure) => EventChannelReport.Closed(ref _sink, failure);

    public void RegionsRegistered(in ExtendedRegionSet regions) => ExtendedRegionReport.Write(ref _sink, regions);

    public void ScratchPoolOpened(in ScratchPoolResult pool) => ScratchReport.PoolOpened(ref _sink, pool);

    public void SelfTestsRan(in XenSetupResult xen, in ScratchPoolResult pool, in GrantSelfTestResult grant, in ScratchSelfTestResult scratch)
    {
        ulong mappedAt = scratch.Ran && !scratch.MapFailure.IsFailure ? pool.SelfTestPage : 0;
        XenSetupReport.SelfTest(ref _sink, xen.Identity, grant.Failure, mappedAt);
        ScratchReport.SelfTest(ref _sink, pool, scratch);
    }

    public void PeersFound(in PeerList peers, in DiscoveryResult found) => PeerReport.PeersFound(ref _sink, peers, found);

    public void PeerServed(in PeerResult peer) => PeerReport.PeerServed(ref _sink, peer);

    public void CrossDomainDone(in CrossDomainResult crossDomain)
    {
        if (!crossDomain.IsBackend)
            PeerReport.FrontendDone(ref _sink, crossDomain.Frontend);
    }

    public void ScratchPoolClosed(in ScratchTeardownResult teardown) => ScratchReport.Teardown(ref _sink, teardown);

    public void XenTornDown(XenFailure failure, int pageRunsOutstanding) => XenSetupReport.Teardown(ref _sink, failure, pageRunsOutstanding);

    public void Finished(in BootResult result)
    {
        if (!result.HypervisorFound)
        {
            ReportLine.Write(ref _sink, "hypervisor"u8, "none"u8);
            ReportLine.Write(ref _sink, "status"u8, "ok"u8);
            return;
        }
        if (!result.Pool.Ran)
            ReportLine.Write(ref _sink, "scratch.selftest"u8, "skipped"u8);
        if (result.GrantSelfTest.Ran)
            ReportLine.Outcome(ref _sink, "grant.selftest"u8, result.GrantSelfTest.Failure);
        else
            ReportLine.Write(ref _sink, "grant.selftest"u8, "skipped"u8);

        ReportLine.Begin(ref _sink, "teardown"u8);
        Write(result.TeardownFailure);
        _sink.Write("\n"u8);

        ReportLine.Begin(ref _sink, "status"u8);
        BootFailure first = result.FirstFailure;
        if (first.IsFailure)
        {
            _sink.Write("error "u8);
            first.Write(ref _sink);
        }
        else
        {
            _sink.Write("ok"u8);
        }
        _sink.Write("\n"u8);
    }

    private void Write(BootFailure failure)
    {
        if (failure.IsFailure)
            failure.Write(ref _sink);
        else
            _sink.Write("ok"u8);
    }
}
