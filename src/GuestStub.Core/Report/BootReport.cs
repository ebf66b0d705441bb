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
/// "GuestStub: ..." lines for people, the <c>report &lt;key&gt; &lt;value&gt;</c> lines for
/// scripts (<see cref="ReportLine"/>), and each selected check's verdict in XTF's words as its
/// stage ends (<see cref="CheckVerdicts"/>: <c>report check.NAME VERDICT [reason]</c>), closed by
/// <c>Test result: VERDICT</c> once the whole boot is over. Keys, in order: those of
/// <see cref="XenSetupReport"/>, of <see cref="ExtendedRegionReport"/>, of
/// <see cref="RegionConformanceReport"/>, of <see cref="ScratchReport"/>,
/// then grant.selftest, teardown, status. Without a hypervisor node: hypervisor none, status ok,
/// and every check a SKIP saying why.
/// </summary>
public struct BootReport<TSink> : IBootObserver where TSink : struct, ITextSink
{
    private TSink _sink;
    private CheckVerdicts _checks;
    private PeerTally _peers;
    private int _run;

    public BootReport(TSink sink)
    {
        _sink = sink;
        _checks = default;
        _peers = default;
        _run = 0;
    }

    public readonly TSink Sink => _sink;

    /// <summary>The verdicts so far (their count and the worst).</summary>
    public readonly CheckVerdicts Checks => _checks;

    public void Starting(in BootFacts facts, in BootOptions options)
    {
        if (_run++ == 0)
        {
            _checks = new CheckVerdicts(options.Checks);
            if (options.ChecksGiven && (options.Checks.UnknownWords != 0 || options.Checks.IsEmpty))
                _checks.SelectionErrors(ref _sink, options.ChecksArgument);
        }
        _checks.StartRun();
        _peers = default;
        if (!facts.Hypervisor.Found)
            _sink.Write("GuestStub: no hypervisor node: nothing to set up with Xen\n"u8);
        else if (options.BadDomid)
            _sink.Write("GuestStub: warning: gueststub.domid= is not a domid (0..32751): ignored\n"u8);
    }

    public void RunStarting(ulong run) => ReportLine.Decimal(ref _sink, "boot.run"u8, run);

    public void OtherDomainsWaited(in OtherDomainsResult others) => OtherDomainsReport.Write(ref _sink, ref _checks, others);

    public void XenSetUp(in XenSetupResult xen)
    {
        if (xen.Identity.HasVersion)
            _checks.KnowRole(xen.Identity.IsDom0 ? CheckRoles.Dom0 : CheckRoles.DomU);
        // The cross-domain stage meets the peers in a boot's first run only: later runs have no such checks.
        if (_run > 1)
            OmitCrossDomain();
        XenSetupReport.Write(ref _sink, ref _checks, xen);
    }

    public void StaticMemoryRead(in BootFacts facts, in BootOptions options) => SharedMemoryReport.Found(ref _sink, ref _checks, facts, options);

    public void SharedMemoryExchanged(in SharedMemoryResult exchange) => SharedMemoryReport.Exchanged(ref _sink, ref _checks, exchange);

    public void EventChannelsOpened(in EventChannelResult events) => EventChannelReport.Opened(ref _sink, ref _checks, events);

    public void EventChannelsClosed(XenFailure failure) => EventChannelReport.Closed(ref _sink, ref _checks, failure);

    public void RegionsRegistered(in ExtendedRegionSet regions) => ExtendedRegionReport.Write(ref _sink, ref _checks, regions);

    public void RegionsJudged(in ExtendedRegionSet regions, in RegionConformance rules) =>
        RegionConformanceReport.Judged(ref _sink, ref _checks, regions, rules);

    public void RegionPagesProbed(in ExtendedRegionSet regions, in RegionPageProbeResult probe) =>
        RegionConformanceReport.Probed(ref _sink, ref _checks, regions, probe);

    public void ScratchPoolOpened(in ScratchPoolResult pool) => ScratchReport.PoolOpened(ref _sink, ref _checks, pool);

    public void SelfTestsRan(in XenSetupResult xen, in ScratchPoolResult pool, in GrantSelfTestResult grant, in ScratchSelfTestResult scratch)
    {
        ulong mappedAt = scratch.Ran && !scratch.MapFailure.IsFailure ? pool.SelfTestPage : 0;
        XenSetupReport.SelfTest(ref _sink, ref _checks, xen.Identity, grant.Failure, mappedAt);
        // Without the pool (not selected) the scratch self-test is not part of this run: Finished says so.
        if (pool.Ran)
            ScratchReport.SelfTest(ref _sink, ref _checks, pool, scratch, !grant.Failure.IsFailure);
    }

    public void PeersFound(in PeerList peers, in DiscoveryResult found) => PeerReport.PeersFound(ref _sink, ref _checks, peers, found);

    public void PeerServed(in PeerResult peer)
    {
        PeerReport.PeerServed(ref _sink, peer);
        _peers.Add(peer);
    }

    public void CrossDomainDone(in CrossDomainResult crossDomain)
    {
        if (crossDomain.IsBackend)
            PeerReport.BackendDone(ref _sink, ref _checks, _peers);
        else
            PeerReport.FrontendDone(ref _sink, ref _checks, crossDomain.Frontend);
    }

    public void ScratchPoolClosed(in ScratchTeardownResult teardown) => ScratchReport.Teardown(ref _sink, ref _checks, teardown);

    public void XenTornDown(XenFailure failure, int pageRunsOutstanding) =>
        XenSetupReport.Teardown(ref _sink, ref _checks, failure, pageRunsOutstanding);

    public void Finished(in BootResult result)
    {
        if (!result.HypervisorFound)
        {
            _checks.SkipTheRest(ref _sink, Reason.NoHypervisorNode);
            ReportLine.Write(ref _sink, "hypervisor"u8, "none"u8);
            // Not ok: nothing of Xen's was tested (issue 21). Not an error either: the run did
            // all it could; the checks' SKIPs say why.
            ReportLine.Write(ref _sink, "status"u8, "skipped no hypervisor node"u8);
            return;
        }
        NotRun(result);
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

    public void Concluded() => _checks.Conclude(ref _sink);

    /// <summary>A SKIP, saying why, for each selected check whose stage did not run this run.</summary>
    private void NotRun(in BootResult result)
    {
        if (!result.Xen.IsReady)
        {
            // What setup could not give back is teardown's: its undo ran.
            if (result.Xen.Identity.HasVersion)
                _checks.Outcome(ref _sink, Check.TeardownXen, result.XenTeardown);
            _checks.SkipTheRest(ref _sink, Reason.NotRunSetupFailed);
            return;
        }
        if (!result.Events.Attached)
        {
            for (int i = 0; i < CheckCatalogue.Count; i++)
                if (IsCrossDomain((Check)i))
                    _checks.Write(ref _sink, (Check)i, Verdict.Skip, Reason.NotRunNoUpcall);
        }
        _checks.Write(ref _sink, Check.TeardownScratch, Verdict.Skip, Reason.NothingToTearDownScratch);
        _checks.Write(ref _sink, Check.TeardownEvtchn, Verdict.Skip, Reason.NothingToTearDownEvtchn);
        _checks.SkipTheRest(ref _sink, Reason.NotRunNeedsAStep);
    }

    private void OmitCrossDomain()
    {
        for (int i = 0; i < CheckCatalogue.Count; i++)
            if (IsCrossDomain((Check)i))
                _checks.Omit((Check)i);
    }

    private static bool IsCrossDomain(Check check) =>
        (CheckCatalogue.StagesOf(check) & (CheckStages.CrossDomain | CheckStages.SharedMemory)) != 0;

    private void Write(BootFailure failure)
    {
        if (failure.IsFailure)
            failure.Write(ref _sink);
        else
            _sink.Write("ok"u8);
    }
}
