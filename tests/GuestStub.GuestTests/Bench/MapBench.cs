using System;
using GuestStub.ExtendedRegions;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.GuestTests;

/// <summary>What dom0's mapping benchmark runs.</summary>
internal enum MapBenchMode
{
    /// <summary><c>guest-tests.bench=map</c>: every figure.</summary>
    All,
    /// <summary><c>guest-tests.bench=map-scale</c>: the whole-domain pass only.</summary>
    WholeDomain,
}

/// <summary>
/// <c>guest-tests.bench=map</c>: how fast dom0 maps another domain's memory (issue 23), against
/// a peer domU running the test image with <c>guest-tests.bench=map-peer</c> (<see cref="MapPeer"/>)
/// in the same Xen boot, under QEMU's <c>-icount shift=0</c> (tests/GuestStub.Benchmarks/README.md
/// has the command). Dom0 does the stub's own setup (Xen, the upcall, the extended regions, the
/// scratch pool: Core's stages, as the product's boot does), maps the peer's control page
/// (<see cref="MapControlPage"/>, ref 9 of domain <see cref="PeerDomid"/>, waited for within
/// <see cref="PeerBoundMs"/>), binds its two ports, then measures:
/// <list type="bullet">
/// <item>foreign maps and unmaps per batch size (<see cref="ForeignMapBench"/>);</item>
/// <item>grant maps and unmaps per batch size (<see cref="GrantMapBench"/>);</item>
/// <item>the event-channel round trip (<see cref="EventRoundTrip"/>);</item>
/// <item>the whole domain mapped, read and unmapped (<see cref="WholeDomainPass"/>; alone with
/// <c>guest-tests.bench=map-scale</c>).</item>
/// </list>
/// Then it tells the peer it is done (the command in the control page, an event on the control
/// port), waits for its answer within <see cref="FinishBoundMs"/> (the peer's last lines are
/// printed by then), and tears down. No XEN_DOMCTL call is made: the peer is the first dom0less
/// domU, domain 1 in /chosen order.
/// </summary>
internal static unsafe class MapBench
{
    public const ushort PeerDomid = 1;

    /// <summary>The peer sets up and writes the pattern into its RAM before it publishes.</summary>
    public const ulong PeerBoundMs = 30_000;

    public const ulong FinishBoundMs = 10_000;

    public static void Run(ref GuestConsole console, in BootDtb dtb, MapBenchMode mode)
    {
        ref readonly BootFacts facts = ref dtb.Facts;
        Gic.Choose(facts.InterruptController);
        var hc = new GuestHypercalls();
        var mem = new GuestMemory();
        var irq = new Gic();
        var clock = new CounterTicks();
        var pages = new RamPageAllocator(facts.Memory, facts.Reserved);
        XenSetupResult xen = XenSetup.Run(ref hc, ref mem, ref pages, facts, dtb.Options);
        if (!xen.IsReady)
        {
            BenchText.Fail(ref console, "map: Xen setup"u8, xen.Failure);
            return;
        }
        if (!xen.Identity.IsDom0)
        {
            BenchText.Fail(ref console, "map: runs as dom0 (the peer takes guest-tests.bench=map-peer)"u8, XenFailure.Stub(XenFailureCause.NoDomainId));
            XenSetup.Teardown(ref hc, ref mem, ref pages, xen);
            return;
        }
        // The event-channel stage takes the whole platform (IXenPlatform): the same hvc, identity map, GIC and counter.
        var platform = new GuestPlatform();
        EventChannelResult opened = EventChannelStage.Open(ref platform, facts, xen);
        ExtendedRegionSet.Register(facts, dtb.Environment(AddressableRange.ForGuest(Native.ReadIdAa64Mmfr0())), out ExtendedRegionSet regions);
        var balloon = new XenBalloon<GuestHypercalls>(ref hc, ref pages);
        ScratchPoolResult poolResult = ScratchPoolStage.Open(ref mem, ref pages, regions, dtb.Options, balloon,
            out ScratchPagePool<XenBalloon<GuestHypercalls>> pool);
        // The stage's self-test page goes straight back: the benchmark takes its own.
        if (poolResult.SelfTestPage != 0)
            pool.FreePage(poolResult.SelfTestPage);

        Describe(ref console, xen, facts, mode);
        if (!opened.Attached || opened.Failure.IsFailure || poolResult.Failure.IsFailure || poolResult.Ballooned)
        {
            BenchText.Fail(ref console, "map: the upcall and a scratch pool over the extended regions"u8,
                opened.Failure.IsFailure ? opened.Failure : XenFailure.Stub(XenFailureCause.NoUpcall));
        }
        else
        {
            Serve(ref console, ref hc, ref mem, ref irq, ref clock, ref pages, ref pool, mode);
        }

        ScratchTeardownResult poolClosed = ScratchPoolStage.Close(ref pool, ref pages, poolResult, 0, false);
        XenFailure closed = EventChannelStage.Close(ref platform, opened);
        closed = closed.Or(XenSetup.Teardown(ref hc, ref mem, ref pages, xen));
        console.Write("guest-bench: map: torn down: "u8);
        GuestStub.Report.ReportLine.Result(ref console, closed);
        console.Write(", scratch pool "u8);
        GuestStub.Report.ReportLine.Result(ref console, poolClosed.Failure);
        console.Write(", "u8);
        TextFormat.Decimal(ref console, (ulong)pages.OutstandingRuns);
        console.Write(" runs of RAM still out\n"u8);
    }

    private static void Describe(ref GuestConsole console, in XenSetupResult xen, in BootFacts facts, MapBenchMode mode)
    {
        Span<byte> extra = stackalloc byte[XenExtraVersion.Bytes];
        var hc = new GuestHypercalls();
        int extraLength = XenExtraVersion.Query(ref hc, extra);
        ulong gic = facts.InterruptController.Version == GicVersion.V2 ? 2UL : 3UL;
        console.Write("guest-bench: map: Xen "u8);
        TextFormat.Decimal(ref console, xen.Identity.VersionMajor);
        console.Write("."u8);
        TextFormat.Decimal(ref console, xen.Identity.VersionMinor);
        console.Write(extra.Slice(0, extraLength));
        console.Write(", GICv"u8);
        TextFormat.Decimal(ref console, gic);
        console.Write(mode == MapBenchMode.All ? ", every figure\n"u8 : ", the whole-domain pass\n"u8);
        GuestStub.Report.ReportLine.Begin(ref console, "bench.xen.version"u8);
        TextFormat.Decimal(ref console, xen.Identity.VersionMajor);
        console.Write("."u8);
        TextFormat.Decimal(ref console, xen.Identity.VersionMinor);
        console.Write("\n"u8);
        GuestStub.Report.ReportLine.Write(ref console, "bench.xen.extraversion"u8, extraLength == 0 ? "none"u8 : extra.Slice(0, extraLength));
        BenchText.Count(ref console, "bench.gic"u8, gic);
    }

    private static void Serve<TBalloon>(ref GuestConsole console, ref GuestHypercalls hc, ref GuestMemory mem, ref Gic irq, ref CounterTicks clock,
        ref RamPageAllocator pages, ref ScratchPagePool<TBalloon> pool, MapBenchMode mode) where TBalloon : struct, IBalloonSource, allows ref struct
    {
        if (pool.AllocatePage(out ulong controlAddress) != ScratchStatus.Ok)
        {
            BenchText.Fail(ref console, "map: a scratch page for the peer's control page"u8, pool.BalloonFailure);
            return;
        }
        XenFailure f = WaitForControlPage(ref hc, ref irq, ref clock, controlAddress, out uint handle);
        if (f.IsFailure)
        {
            BenchText.Fail(ref console, "map: the peer's control page"u8, f);
            pool.FreePage(controlAddress);
            return;
        }
        bool controlMapped = true;
        byte* control = mem.Page(controlAddress >> PageSize.Shift);
        if (control == null || !MapPeerOffer.TryRead(control, PeerDomid, out MapPeerOffer offer))
        {
            BenchText.Fail(ref console, "map: the peer's control page"u8, XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(MapControlPage.Ref).WithDom(PeerDomid));
        }
        else
        {
            f = Upcall.Events.BindInterdomain(ref hc, ref mem, PeerDomid, offer.PingPort, out uint pingPort);
            uint controlPort = 0;
            if (!f.IsFailure)
                f = Upcall.Events.BindInterdomain(ref hc, ref mem, PeerDomid, offer.ControlPort, out controlPort);
            if (f.IsFailure || !MapBuffers.TryAllocate(ref pages, ref mem, out MapBuffers buffers))
            {
                BenchText.Fail(ref console, "map: the peer's ports and the benchmark's buffers"u8, f.IsFailure ? f : XenFailure.Stub(XenFailureCause.OutOfPages));
            }
            else
            {
                // The upcall the binds raised taken, and the CPU given away once: the peer, which
                // went to its wait when it granted the page, blocks there. Only then is dom0 alone.
                irq.Idle();
                GuestBench.Calibrate(ref console);
                console.Write("guest-bench: map: peer domain "u8);
                TextFormat.Decimal(ref console, PeerDomid);
                console.Write(": "u8);
                TextFormat.Decimal(ref console, offer.RamPageCount);
                console.Write(" RAM pages, "u8);
                TextFormat.Decimal(ref console, offer.PatternPageCount);
                console.Write(" with the pattern, "u8);
                TextFormat.Decimal(ref console, offer.DataGrants);
                console.Write(" granted\n"u8);
                if (mode == MapBenchMode.All)
                {
                    ForeignMapBench.Run(ref console, ref pool, ref mem, buffers, offer);
                    GrantMapBench.Run(ref console, ref pool, ref mem, buffers, offer);
                    EventRoundTrip.Run(ref console, ref hc, ref irq, ref clock, ref Upcall.Events, pingPort, PeerDomid);
                }
                WholeDomainPass.Run(ref console, ref pool, ref mem, buffers, offer);
                buffers.Free(ref pages);
            }
            // Done: the command first, then the control page unmapped, then the event.
            MapControlPage.SetCommand(control, MapControlPage.CommandDone);
            mem.WriteBarrier();
            if (controlPort != 0)
                controlMapped = !Finish(ref console, ref hc, ref irq, ref clock, controlAddress, handle, controlPort);
        }
        if (controlMapped && GrantTable.UnmapGrantRef(ref hc, controlAddress, handle).IsFailure)
            return; // still mapped: the page is never handed out again
        pool.FreePage(controlAddress);
    }

    /// <summary>The control page unmapped, the event, and the peer's answer within
    /// <see cref="FinishBoundMs"/>. True when the page was unmapped.</summary>
    private static bool Finish(ref GuestConsole console, ref GuestHypercalls hc, ref Gic irq, ref CounterTicks clock,
        ulong controlAddress, uint handle, uint controlPort)
    {
        XenFailure f = GrantTable.UnmapGrantRef(ref hc, controlAddress, handle);
        bool unmapped = !f.IsFailure;
        ulong before = Upcall.Events.Arrivals(controlPort);
        if (!f.IsFailure)
            f = Upcall.Events.Send(ref hc, controlPort);
        Deadline deadline = Deadline.After(ref clock, FinishBoundMs);
        while (!f.IsFailure && Upcall.Events.Arrivals(controlPort) == before && !deadline.Expired(ref clock))
            irq.Idle();
        if (!f.IsFailure && Upcall.Events.Arrivals(controlPort) == before)
            f = XenFailure.Timeout(FinishBoundMs).WithPort(controlPort).WithDom(PeerDomid);
        console.Write("guest-bench: map: the peer finished: "u8);
        GuestStub.Report.ReportLine.Result(ref console, f);
        console.Write("\n"u8);
        GuestStub.Report.ReportLine.Outcome(ref console, "bench.map.peer_finished"u8, f);
        return unmapped;
    }

    /// <summary>GNTTABOP_map_grant_ref of the peer's control page, tried until it maps or the
    /// bound passes (the peer publishes once it has written its pattern).</summary>
    private static XenFailure WaitForControlPage(ref GuestHypercalls hc, ref Gic irq, ref CounterTicks clock, ulong hostAddress, out uint handle)
    {
        Deadline deadline = Deadline.After(ref clock, PeerBoundMs);
        while (true)
        {
            XenFailure f = GrantTable.MapGrantRef(ref hc, hostAddress, PeerDomid, MapControlPage.Ref, readOnly: false, out handle);
            if (!f.IsFailure)
                return f;
            if (f.Cause != XenFailureCause.GrantStatus)
                return f.WithDom(PeerDomid);
            if (deadline.Expired(ref clock))
                return XenFailure.Timeout(PeerBoundMs).WithIndex(MapControlPage.Ref).WithDom(PeerDomid);
            irq.Idle();
        }
    }
}
