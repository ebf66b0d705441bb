using GuestStub.ExtendedRegions;
using GuestStub.Memory;
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
/// <item>the bench, when asked (<see cref="ScratchBench"/>);</item>
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
    public static BootResult Run<THc, TMem, TIrq, TClock, TObserver>(ref THc hc, ref TMem mem, ref TIrq irq, ref TClock clock,
        ref EventChannels events, ref TObserver observer, in BootDtb dtb, PhysicalRange addressable)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory where TIrq : struct, IInterruptController
        where TClock : struct, ITickSource where TObserver : struct, IBootObserver
    {
        ref readonly BootFacts facts = ref dtb.Facts;
        ref readonly BootOptions options = ref dtb.Options;
        observer.Starting(facts, options);
        if (!facts.Hypervisor.Found)
        {
            BootResult bare = BootResult.WithoutHypervisor;
            observer.Finished(bare);
            return bare;
        }

        var pages = new RamPageAllocator(facts.Memory, facts.Reserved);
        XenSetupResult xen = XenSetup.Run(ref hc, ref mem, ref pages, facts, options);
        observer.XenSetUp(xen);
        if (!xen.IsReady)
        {
            // Setup has undone its own work; what it could not give back is teardown's failure.
            var failed = new BootResult(true, xen, default, default, default, default, default, default, default, default, xen.UndoFailure);
            observer.Finished(failed);
            return failed;
        }

        EventChannelResult channels = EventChannelStage.Open(ref hc, ref mem, ref irq, ref clock, ref events, facts, xen);
        observer.EventChannelsOpened(channels);

        ExtendedRegionSet.Register(facts, dtb.Environment(addressable), out ExtendedRegionSet regions);
        observer.RegionsRegistered(regions);

        var balloon = new XenBalloon<THc>(ref hc, ref pages);
        ScratchPoolResult pool = ScratchPoolStage.Open(ref mem, ref pages, regions, options, balloon, out ScratchPagePool<XenBalloon<THc>> scratch);
        observer.ScratchPoolOpened(pool);

        SelfGrant grant = GrantSelfTest.Begin(ref mem, ref pages, xen);
        ScratchSelfTestResult scratchTest = ScratchSelfTest.Run(ref hc, ref mem, ref scratch, pool.SelfTestPage, grant);
        GrantSelfTestResult grantTest = GrantSelfTest.End(ref pages, grant, scratchTest.LeftMapped);
        observer.SelfTestsRan(xen, pool, grantTest, scratchTest);

        ScratchBenchResult bench = default;
        if (options.BenchScratch)
        {
            bench = ScratchBench.Run(ref mem, ref pages, ref scratch, pool, ref clock);
            observer.BenchRan(bench);
        }

        ScratchTeardownResult closed = ScratchPoolStage.Close(ref scratch, ref pages, pool, scratchTest.PageStillHeld, scratchTest.LeftMapped);
        observer.ScratchPoolClosed(closed);
        XenFailure eventsTeardown = EventChannelStage.Close(ref hc, ref mem, ref irq, ref events, channels);
        observer.EventChannelsClosed(eventsTeardown);
        XenFailure xenTeardown = XenSetup.Teardown(ref hc, ref mem, ref pages, xen);
        observer.XenTornDown(xenTeardown, pages.OutstandingRuns);

        var result = new BootResult(true, xen, channels, regions.Status, pool, grantTest, scratchTest, bench, closed, eventsTeardown, xenTeardown);
        observer.Finished(result);
        return result;
    }
}
