using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.GuestTests;

/// <summary>
/// <c>guest-tests.bench=map-peer</c>: the domU side of the mapping benchmark
/// (<see cref="MapBench"/> is dom0's). After the stub's own Xen setup and upcall, it
/// <list type="number">
/// <item>writes the pattern (<see cref="MapControlPage.FirstWord"/>) into every RAM page it can
/// give up: <see cref="DataGrants"/> pages it grants dom0 (refs from <see cref="FirstDataRef"/>,
/// read-write), then each stretch of RAM its page allocator has left, the largest first;</item>
/// <item>opens two unbound ports for dom0: a ping port, whose handler answers every event at once
/// from the upcall (the event-channel round trip), and a control port;</item>
/// <item>publishes all that in its control page (<see cref="MapControlPage"/>), granted to dom0 at
/// ref 9;</item>
/// <item>blocks (WFI, so it takes no CPU from dom0's measurements) until dom0 sends on the control
/// port with the command "done"; then ends access to every grant (dom0 has unmapped them: one
/// still mapped is a failure, and its page is never reused), reports, tells dom0 it has finished
/// on the control port and tears down.</item>
/// </list>
/// Its waits have no timer of their own: the peer blocks until dom0's next event, and dom0's end
/// (after its own bounded waits) halts the machine.
/// </summary>
internal static unsafe class MapPeer
{
    /// <summary>Pages granted to dom0 for its grant-map benchmark.</summary>
    internal const uint DataGrants = 8192;

    /// <summary>The first data ref: clear of the refs the stub's proofs use (8 the self-test, 9 the
    /// control page, 10 the ref never granted).</summary>
    internal const uint FirstDataRef = 16;

    private const ushort Dom0 = 0;

    /// <summary>Events the ping port answered.</summary>
    private static ulong s_pongs;

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_tests_wait_for_interrupt")]
    private static extern void WaitForInterrupt();

    internal static void Run(ref GuestConsole console, in BootDtb dtb)
    {
        ref readonly BootFacts facts = ref dtb.Facts;
        Gic.Choose(facts.InterruptController);
        var hc = new GuestHypercalls();
        var mem = new GuestMemory();
        var pages = new RamPageAllocator(facts.Memory, facts.Reserved);
        XenSetupResult xen = XenSetup.Run(ref hc, ref mem, ref pages, facts, dtb.Options);
        if (!xen.IsReady)
        {
            BenchText.Fail(ref console, "map peer: Xen setup"u8, xen.Failure);
            return;
        }
        if (xen.Identity.IsDom0 || !xen.Identity.HasDomid)
        {
            BenchText.Fail(ref console, "map peer: runs as a domU that knows its id"u8, XenFailure.Stub(XenFailureCause.NoDomainId));
            XenSetup.Teardown(ref hc, ref mem, ref pages, xen);
            return;
        }
        // The event-channel stage takes the whole platform (IXenPlatform): the same hvc, identity map, GIC and counter.
        var platform = new GuestPlatform();
        EventChannelResult opened = EventChannelStage.Open(ref platform, facts, xen);
        if (!opened.Attached || opened.Failure.IsFailure)
        {
            BenchText.Fail(ref console, "map peer: event channels"u8, opened.Attached ? opened.Failure : XenFailure.Stub(XenFailureCause.NoUpcall));
            EventChannelStage.Close(ref platform, opened);
            XenSetup.Teardown(ref hc, ref mem, ref pages, xen);
            return;
        }

        Serve(ref console, ref hc, ref mem, ref pages, facts, xen);

        XenFailure closed = EventChannelStage.Close(ref platform, opened);
        closed = closed.Or(XenSetup.Teardown(ref hc, ref mem, ref pages, xen));
        console.Write("guest-bench: map peer: torn down: "u8);
        GuestStub.Report.ReportLine.Result(ref console, closed);
        console.Write("\n"u8);
    }

    /// <summary>What the peer holds while dom0 measures: the runs of its RAM it gave up.</summary>
    private struct Holdings
    {
        public ulong ControlGfn;
        public ulong DataGfn;
        public uint Grants;
        public int Runs;
        public fixed ulong RunGfn[MapControlPage.MaxPatternRanges];
        public fixed uint RunPages[MapControlPage.MaxPatternRanges];
        public ulong PatternPages;
    }

    private static void Serve(ref GuestConsole console, ref GuestHypercalls hc, ref GuestMemory mem, ref RamPageAllocator pages,
        in BootFacts facts, in XenSetupResult xen)
    {
        ushort domid = xen.Identity.Domid;
        GrantTable table = xen.Grants.Table;
        GrantEntryV1* controlEntry = table.EntryCount > MapControlPage.Ref ? table.Entry(ref mem, MapControlPage.Ref) : null;
        uint grants = table.EntryCount > FirstDataRef ? Math.Min(DataGrants, table.EntryCount - FirstDataRef) : 0;
        Holdings held = default;
        if (controlEntry == null || grants == 0 || !pages.TryAllocate(1, out held.ControlGfn))
        {
            BenchText.Fail(ref console, "map peer: a control page and grant entries"u8, XenFailure.Stub(XenFailureCause.TooFewEntries));
            return;
        }
        byte* control = mem.Page(held.ControlGfn);

        XenFailure f = Upcall.Events.AllocateUnbound(ref hc, ref mem, Dom0, out uint pingPort);
        uint controlPort = 0;
        if (!f.IsFailure)
            f = Upcall.Events.AllocateUnbound(ref hc, ref mem, Dom0, out controlPort);
        if (!f.IsFailure)
            Upcall.Events.SetHandler(pingPort, &Pong, 0);
        if (f.IsFailure || !pages.TryAllocate(grants, out held.DataGfn))
        {
            BenchText.Fail(ref console, "map peer: ports and data pages"u8, f.IsFailure ? f : XenFailure.Stub(XenFailureCause.OutOfPages));
            pages.Free(held.ControlGfn, 1);
            return;
        }
        held.Grants = grants;

        // The data pages: the pattern, then a read-write grant each (frame and domid, a barrier,
        // the flags: GrantTable.GrantAccess).
        MapControlPage.WriteHeader(control, domid, pingPort, controlPort, FirstDataRef, grants, held.DataGfn);
        MapControlPage.WritePattern(mem.Page(held.DataGfn), domid, held.DataGfn, grants);
        MapControlPage.AddPatternRange(control, held.DataGfn, grants);
        held.PatternPages = grants;
        for (uint i = 0; i < grants; i++)
            GrantTable.GrantAccess(ref mem, table.Entry(ref mem, FirstDataRef + i), Dom0, (uint)(held.DataGfn + i), readOnly: false);

        // Every other stretch of RAM left, the largest first, until the allocator or the page is full.
        while (held.Runs < MapControlPage.MaxPatternRanges - 1)
        {
            uint largest = LargestFreeRun(ref pages, facts.Memory);
            if (largest == 0 || !pages.TryAllocate(largest, out ulong gfn))
                break;
            MapControlPage.WritePattern(mem.Page(gfn), domid, gfn, largest);
            MapControlPage.AddPatternRange(control, gfn, largest);
            held.RunGfn[held.Runs] = gfn;
            held.RunPages[held.Runs] = largest;
            held.Runs++;
            held.PatternPages += largest;
        }
        ulong ramPages = 0;
        for (int i = 0; i < facts.Memory.Count && i < MapControlPage.MaxRamBanks; i++)
        {
            PhysicalRange bank = facts.Memory[i];
            MapControlPage.AddRamBank(control, bank.Start >> PageSize.Shift, bank.SizeBytes >> PageSize.Shift);
            ramPages += bank.SizeBytes >> PageSize.Shift;
        }

        console.Write("guest-bench: map peer: domain "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, domid);
        console.Write(": the pattern in "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, held.PatternPages);
        console.Write(" of its "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, ramPages);
        console.Write(" RAM pages ("u8);
        GuestStub.Text.TextFormat.Decimal(ref console, (ulong)held.Runs + 1);
        console.Write(" ranges), "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, grants);
        console.Write(" of them granted to dom0 from ref "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, FirstDataRef);
        console.Write("; control page at ref 9, ping port "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, pingPort);
        console.Write(", control port "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, controlPort);
        console.Write("\n"u8);

        // Published: the control page's grant last, after a barrier (GrantAccess), and nothing
        // printed after it: dom0 starts measuring once it maps the page, and this domain goes
        // straight to its wait.
        ulong before = Upcall.Events.Arrivals(controlPort);
        mem.WriteBarrier();
        GrantTable.GrantAccess(ref mem, controlEntry, Dom0, (uint)held.ControlGfn, readOnly: false);

        // Blocked until dom0 says it is done (the pings are answered in the upcall meanwhile).
        while (!(Upcall.Events.Arrivals(controlPort) > before && MapControlPage.Command(control) == MapControlPage.CommandDone))
        {
            WaitForInterrupt();
            Native.IrqWindow();
        }

        // Every grant ended: dom0 unmapped them before it said done.
        bool controlEnded = GrantTable.EndAccess(ref mem, controlEntry);
        uint dataStillMapped = 0;
        for (uint i = 0; i < grants; i++)
            if (!GrantTable.EndAccess(ref mem, table.Entry(ref mem, FirstDataRef + i)))
                dataStillMapped++;
        uint stillMapped = dataStillMapped + (controlEnded ? 0u : 1u);
        for (int i = 0; i < held.Runs; i++)
            pages.Free(held.RunGfn[i], held.RunPages[i]);
        // A page dom0 still maps is never reused: it stays allocated.
        if (dataStillMapped == 0)
            pages.Free(held.DataGfn, grants);
        if (controlEnded)
            pages.Free(held.ControlGfn, 1);

        console.Write("guest-bench: map peer: dom0 is done; "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, s_pongs);
        console.Write(" pings answered; access to all "u8);
        GuestStub.Text.TextFormat.Decimal(ref console, (ulong)grants + 1);
        console.Write(" grants ended: "u8);
        if (stillMapped == 0)
            console.Write("ok\n"u8);
        else
        {
            GuestStub.Text.TextFormat.Decimal(ref console, stillMapped);
            console.Write(" still mapped by dom0\n"u8);
            console.Write("guest-bench: FAIL map peer: grants still mapped by dom0 after it said done\n"u8);
        }
        BenchText.Count(ref console, "bench.peer.domid"u8, domid);
        BenchText.Count(ref console, "bench.peer.ram_pages"u8, ramPages);
        BenchText.Count(ref console, "bench.peer.pattern_pages"u8, held.PatternPages);
        BenchText.Count(ref console, "bench.peer.data_grants"u8, grants);
        BenchText.Count(ref console, "bench.peer.pings"u8, s_pongs);
        BenchText.Count(ref console, "bench.peer.still_mapped"u8, stillMapped);

        // Last: dom0 may halt the machine as soon as it sees this.
        Upcall.Events.SetHandler(pingPort, null, 0);
        Upcall.Events.Send(ref hc, controlPort);
    }

    /// <summary>The ping port's handler, in the upcall: the event straight back to dom0.</summary>
    private static void Pong(uint port, ulong context)
    {
        var hc = new GuestHypercalls();
        EventChannelOp.Send(ref hc, port);
        s_pongs++;
    }

    /// <summary>The length of the longest run of pages <paramref name="pages"/> can still give,
    /// found by halving (each probe allocates and frees at once); 0 when none.</summary>
    private static uint LargestFreeRun(ref RamPageAllocator pages, in PhysicalRangeList ram)
    {
        ulong total = 0;
        for (int i = 0; i < ram.Count; i++)
            total += ram[i].SizeBytes >> PageSize.Shift;
        uint low = 0, high = (uint)Math.Min(total, uint.MaxValue);
        while (low < high)
        {
            uint mid = low + (high - low + 1) / 2;
            if (pages.TryAllocate(mid, out ulong gfn))
            {
                pages.Free(gfn, mid);
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }
}
