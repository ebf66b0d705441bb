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
/// <item>across domains, on the first run of a boot (<see cref="CrossDomainStage"/>): dom0's
/// backend serves every peer it finds, a domU's frontend publishes its page and waits for dom0;
/// then, in a domain with static shared memory, the exchange through it with the other domU
/// (<see cref="SharedMemoryExchange"/>);</item>
/// <item>teardown, mirroring set-up: the pool (<see cref="ScratchPoolStage.Close"/>), the event
/// channels (<see cref="EventChannelStage.Close"/>), then Xen (<see cref="XenSetup.Teardown"/>).</item>
/// </list>
/// The optional stages run when a selected check needs them (<see cref="CheckSelection"/>,
/// <c>gueststub.checks=</c>; all by default): Xen setup and teardown always run.
/// Runs unchanged in the guest (real Xen) and on the host (the simulated Xen of
/// GuestStub.Simulation, <c>gueststub plan</c>), over one platform (<see cref="IXenPlatform"/>:
/// hypercalls, guest memory, the interrupt controller, the counter and the event-channel table
/// the guest's IRQ handler dispatches into). The pipeline owns what lives across stages: the
/// stub's RAM page allocator and the scratch pool.
/// </summary>
public static class BootPipeline
{
    public static void Run<TPlatform, TObserver>(ref TPlatform platform, ref TObserver observer, in BootDtb dtb, PhysicalRange addressable,
        bool crossDomain, out BootResult result)
        where TPlatform : struct, IXenPlatform where TObserver : struct, IBootObserver
    {
        // Each stage's result goes straight into the caller's result: they are large values.
        result = default;
        ref readonly BootFacts facts = ref dtb.Facts;
        ref readonly BootOptions options = ref dtb.Options;
        observer.Starting(facts, options);
        // Static shared memory and static memory are facts of the tree: judged in every domain.
        observer.StaticMemoryRead(facts, options);
        if (!facts.Hypervisor.Found)
        {
            observer.Finished(result);
            return;
        }
        result._hypervisorFound = true;

        var pages = new RamPageAllocator(facts.Memory, facts.Reserved);
        result._xen = XenSetup.Run(ref platform, ref platform, ref pages, facts, options);
        ref readonly XenSetupResult xen = ref result._xen;
        observer.XenSetUp(xen);
        if (!xen.IsReady)
        {
            // Setup has undone its own work; what it could not give back is teardown's failure.
            result._xenTeardown = xen.UndoFailure;
            observer.Finished(result);
            return;
        }

        // Only the stages the selected checks of this role need (gueststub.checks=; all by default).
        CheckStages stages = options.Checks.StagesFor(xen.Identity.IsDom0 ? CheckRoles.Dom0 : CheckRoles.DomU);
        if (Has(stages, CheckStages.Events))
        {
            result._events = EventChannelStage.Open(ref platform, facts, xen);
            observer.EventChannelsOpened(result._events);
        }

        ExtendedRegionSet regions = default;
        if (Has(stages, CheckStages.Regions))
        {
            ExtendedRegionSet.Register(facts, dtb.Environment(addressable), out regions);
            result._regionStatus = regions.Status;
            observer.RegionsRegistered(regions);
        }

        scoped ScratchPagePool<XenBalloon<TPlatform>> scratch = default;
        var balloon = new XenBalloon<TPlatform>(ref platform, ref pages);
        if (Has(stages, CheckStages.Pool))
        {
            result._pool = ScratchPoolStage.Open(ref platform, ref pages, regions, options, balloon, out scratch);
            observer.ScratchPoolOpened(result._pool);
        }
        ref readonly ScratchPoolResult pool = ref result._pool;

        if (Has(stages, CheckStages.SelfGrant))
        {
            SelfGrant grant = GrantSelfTest.Begin(ref platform, ref pages, xen);
            if (Has(stages, CheckStages.ScratchSelfTest))
                result._scratchSelfTest = ScratchSelfTest.Run(ref platform, ref platform, ref scratch, pool.SelfTestPage, grant);
            result._grantSelfTest = GrantSelfTest.End(ref platform, ref pages, grant, result._scratchSelfTest.LeftMapped);
            observer.SelfTestsRan(xen, pool, result._grantSelfTest, result._scratchSelfTest);
        }

        if (crossDomain && result._events.Attached && Has(stages, CheckStages.CrossDomain))
        {
            result._crossDomain = CrossDomainStage.Run(ref platform, ref observer, ref pages, ref scratch, xen);
            observer.CrossDomainDone(result._crossDomain);
        }

        if (crossDomain && result._events.Attached && Has(stages, CheckStages.SharedMemory) && facts.SharedMemory.Count > 0)
        {
            result._sharedMemory = SharedMemoryExchange.Run(ref platform, facts.SharedMemory, xen);
            observer.SharedMemoryExchanged(result._sharedMemory);
        }

        if (pool.Ran)
        {
            result._scratchTeardown = ScratchPoolStage.Close(ref scratch, ref pages, pool,
                result._scratchSelfTest.PageStillHeld, result._scratchSelfTest.LeftMapped);
            observer.ScratchPoolClosed(result._scratchTeardown);
        }
        if (result._events.Ran)
        {
            result._eventsTeardown = EventChannelStage.Close(ref platform, result._events);
            observer.EventChannelsClosed(result._eventsTeardown);
        }
        result._xenTeardown = XenSetup.Teardown(ref platform, ref platform, ref pages, xen);
        observer.XenTornDown(result._xenTeardown, pages.OutstandingRuns);
        observer.Finished(result);
    }

    private static bool Has(CheckStages stages, CheckStages stage) => (stages & stage) != 0;
}
