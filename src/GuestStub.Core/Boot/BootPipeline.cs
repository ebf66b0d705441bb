using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Peers;
using GuestStub.Platform;
using GuestStub.Scratch;
using GuestStub.Xen;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Boot;

/// <summary>
/// The stub's boot after the front end (<see cref="BootDtb"/>) has read the device tree: the
/// stages in order, each taking what it needs and returning its own result, which the
/// observer (the report, a layer above) is told at once:
/// <list type="number">
/// <item>Xen setup (<see cref="XenSetup"/>): version, features, domid, shared_info, grant table;</item>
/// <item>event channels (<see cref="EventChannelStage"/>): the upcall on its PPI, proven by a
/// loopback event;</item>
/// <item>extended regions (<see cref="ExtendedRegionSet.Register(in BootFacts, in BootEnvironment, out ExtendedRegionSet)"/>);</item>
/// <item>the scratch pool (<see cref="ScratchPoolStage.Open"/>), over the regions' target
/// resource or ballooned RAM;</item>
/// <item>self-tests: a grant of a RAM page to itself (<see cref="GrantSelfTest"/>) mapped at a
/// scratch page (<see cref="ScratchSelfTest"/>);</item>
/// <item>across domains, on the first run of a boot: dom0's backend serves every peer it finds
/// (<see cref="PeerDiscovery"/>, <see cref="Backend"/>), a domU's frontend publishes its page
/// and waits for dom0 (<see cref="Frontend"/>);</item>
/// <item>teardown, mirroring set-up: the pool (<see cref="ScratchPoolStage.Close"/>), the event
/// channels (<see cref="EventChannelStage.Close"/>), then Xen (<see cref="XenSetup.Teardown"/>).</item>
/// </list>
/// Runs unchanged in the guest (real Xen) and on the host (the simulated Xen of
/// GuestStub.Simulation, <c>gueststub plan</c>). The pipeline owns what lives across stages:
/// the stub's RAM page allocator and the scratch pool. The event-channel table belongs to the
/// platform (the guest's IRQ handler dispatches into it) and is lent by reference.
/// </summary>
public static class BootPipeline
{
    public static void Run<THc, TMem, TIrq, TClock, TObserver>(ref THc hc, ref TMem mem, ref TIrq irq, ref TClock clock,
        ref EventChannels events, ref TObserver observer, in BootDtb dtb, PhysicalRange addressable, bool crossDomain, out BootResult result)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory where TIrq : struct, IInterruptController
        where TClock : struct, ITickSource where TObserver : struct, IBootObserver
    {
        // Each stage's result goes straight into the caller's result: they are large values.
        result = default;
        ref readonly BootFacts facts = ref dtb.Facts;
        ref readonly BootOptions options = ref dtb.Options;
        observer.Starting(facts, options);
        if (!facts.Hypervisor.Found)
        {
            observer.Finished(result);
            return;
        }
        result._hypervisorFound = true;

        var pages = new RamPageAllocator(facts.Memory, facts.Reserved);
        result._xen = XenSetup.Run(ref hc, ref mem, ref pages, facts, options);
        ref readonly XenSetupResult xen = ref result._xen;
        observer.XenSetUp(xen);
        if (!xen.IsReady)
        {
            // Setup has undone its own work; what it could not give back is teardown's failure.
            result._xenTeardown = xen.UndoFailure;
            observer.Finished(result);
            return;
        }

        result._events = EventChannelStage.Open(ref hc, ref mem, ref irq, ref clock, ref events, facts, xen);
        observer.EventChannelsOpened(result._events);

        ExtendedRegionSet.Register(facts, dtb.Environment(addressable), out ExtendedRegionSet regions);
        result._regionStatus = regions.Status;
        observer.RegionsRegistered(regions);

        var balloon = new XenBalloon<THc>(ref hc, ref pages);
        result._pool = ScratchPoolStage.Open(ref mem, ref pages, regions, options, balloon, out ScratchPagePool<XenBalloon<THc>> scratch);
        ref readonly ScratchPoolResult pool = ref result._pool;
        observer.ScratchPoolOpened(pool);

        SelfGrant grant = GrantSelfTest.Begin(ref mem, ref pages, xen);
        result._scratchSelfTest = ScratchSelfTest.Run(ref hc, ref mem, ref scratch, pool.SelfTestPage, grant);
        result._grantSelfTest = GrantSelfTest.End(ref mem, ref pages, grant, result._scratchSelfTest.LeftMapped);
        observer.SelfTestsRan(xen, pool, result._grantSelfTest, result._scratchSelfTest);

        if (crossDomain && result._events.Attached)
        {
            if (xen.Identity.IsDom0)
                ServePeers(ref hc, ref mem, ref irq, ref clock, ref events, ref observer, ref pages, ref scratch, xen.Identity.Domid,
                    ref result._crossDomain);
            else
            {
                result._crossDomain.Ran = true;
                Frontend.Run(ref hc, ref mem, ref irq, ref clock, ref events, ref pages, xen, ref result._crossDomain.Frontend);
                observer.FrontendDone(result._crossDomain.Frontend);
            }
        }

        result._scratchTeardown = ScratchPoolStage.Close(ref scratch, ref pages, pool,
            result._scratchSelfTest.PageStillHeld, result._scratchSelfTest.LeftMapped);
        observer.ScratchPoolClosed(result._scratchTeardown);
        result._eventsTeardown = EventChannelStage.Close(ref hc, ref mem, ref irq, ref events, result._events);
        observer.EventChannelsClosed(result._eventsTeardown);
        result._xenTeardown = XenSetup.Teardown(ref hc, ref mem, ref pages, xen);
        observer.XenTornDown(result._xenTeardown, pages.OutstandingRuns);
        observer.Finished(result);
    }

    /// <summary>Dom0's backend: the peers found by static event channel and by probe, a foreign
    /// map of itself that Xen must refuse, then each peer served in turn (the error paths that
    /// need a peer on the first).</summary>
    private static void ServePeers<THc, TMem, TIrq, TClock, TObserver, TBalloon>(ref THc hc, ref TMem mem, ref TIrq irq, ref TClock clock,
        ref EventChannels events, ref TObserver observer, ref RamPageAllocator pages, ref ScratchPagePool<TBalloon> pool, ushort ownDomid,
        ref CrossDomainResult result)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory where TIrq : struct, IInterruptController
        where TClock : struct, ITickSource where TObserver : struct, IBootObserver where TBalloon : struct, IBalloonSource, allows ref struct
    {
        result.Ran = true;
        result.IsBackend = true;
        var peers = new PeerList();
        result.Discovery = PeerDiscovery.ScanStatic(ref hc, events, ownDomid, -1, ref peers);
        result.Discovery = result.Discovery.Or(PeerDiscovery.Probe(ref hc, ownDomid, ref peers));
        result.PeersFound = peers.Count;
        if (pages.TryAllocate(1, out ulong ownGfn))
        {
            if (pool.AllocatePage(out ulong target) == ScratchStatus.Ok)
            {
                result.ForeignMapOfSelf = ErrorPaths.ForeignMapOfSelf(ref hc, ownGfn, target, ref result.ForeignMapOfSelfUndo);
                // A page still mapped is never handed out again (it stays allocated, and reported).
                if (!result.ForeignMapOfSelfUndo.IsFailure && pool.FreePage(target) != ScratchStatus.Ok)
                    result.ForeignMapOfSelfUndo = pool.BalloonFailure.IsFailure ? pool.BalloonFailure
                        : XenFailure.Stub(XenFailureCause.Mismatch).WithGfn(target >> PageSize.Shift);
            }
            if (!pages.Free(ownGfn, 1) && !result.ForeignMapOfSelfUndo.IsFailure)
                result.ForeignMapOfSelfUndo = XenFailure.Stub(XenFailureCause.Mismatch).WithGfn(ownGfn);
        }
        observer.PeersFound(peers, result);
        // The error paths that need a peer's page run on the first peer whose grant mapped and read intact.
        bool errorPathsRan = false;
        for (int i = 0; i < peers.Count; i++)
        {
            PeerResult peer = default;
            Backend.Serve(ref hc, ref mem, ref irq, ref clock, ref events, ref pool, peers, i, ownDomid, !errorPathsRan, ref peer);
            errorPathsRan |= peer.BatchWithBadFrame.Ran;
            observer.PeerServed(peer);
            XenFailure f = peer.FirstFailure;
            if (f.IsFailure)
            {
                result.PeersFailed++;
                result.FirstPeerFailure = result.FirstPeerFailure.Or(f);
            }
        }
    }
}
