using GuestStub.ExtendedRegions;
using GuestStub.Peers;
using GuestStub.Platform;
using GuestStub.Scratch;
using GuestStub.Xen;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Boot;

/// <summary>
/// Told each stage's result as soon as the stage returns, so the layer above the pipeline (the
/// report) can write it while the boot goes on: a boot that hangs in a later stage has already
/// said what the earlier ones did. The pipeline never writes text itself. Implemented by structs
/// and used as a generic constraint; it is also the cross-domain stage's
/// <see cref="IPeerObserver"/>.
/// </summary>
public interface IBootObserver : IPeerObserver
{
    /// <summary>Run <paramref name="run"/> of several (gueststub.boots) begins.</summary>
    void RunStarting(ulong run);

    /// <summary>Dom0 waited for the other domains to finish (the last thing before power-off).</summary>
    void OtherDomainsWaited(in OtherDomainsResult others);

    /// <summary>The boot begins, with the options it runs with.</summary>
    void Starting(in BootFacts facts, in BootOptions options);

    void XenSetUp(in XenSetupResult xen);

    /// <summary>The static shared memory and static memory the tree describes, judged as the
    /// boot begins (facts of the tree: no stage of their own, no Xen call).</summary>
    void StaticMemoryRead(in BootFacts facts, in BootOptions options);

    void EventChannelsOpened(in EventChannelResult events);

    void RegionsRegistered(in ExtendedRegionSet regions);

    void ScratchPoolOpened(in ScratchPoolResult pool);

    void SelfTestsRan(in XenSetupResult xen, in ScratchPoolResult pool, in GrantSelfTestResult grant, in ScratchSelfTestResult scratch);

    /// <summary>The cross-domain stage is done: dom0's backend (its discovery and each peer
    /// were told as they came, <see cref="IPeerObserver"/>) or a domU's frontend.</summary>
    void CrossDomainDone(in CrossDomainResult crossDomain);

    /// <summary>The exchange through static shared memory with another domU is done.</summary>
    void SharedMemoryExchanged(in SharedMemoryResult exchange);

    void ScratchPoolClosed(in ScratchTeardownResult teardown);

    void EventChannelsClosed(XenFailure failure);

    /// <summary>The Xen setup was undone; <paramref name="pageRunsOutstanding"/> RAM runs are
    /// still allocated (0 when every page the stub took is back).</summary>
    void XenTornDown(XenFailure failure, int pageRunsOutstanding);

    /// <summary>The run is over: everything is undone (or reported as not).</summary>
    void Finished(in BootResult result);

    /// <summary>The whole boot is over (every run, and dom0's wait): the last thing before power-off.</summary>
    void Concluded();
}
