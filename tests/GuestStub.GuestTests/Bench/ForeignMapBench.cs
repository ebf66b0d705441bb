using System;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.GuestTests;

/// <summary>
/// Foreign maps of the peer's RAM frames (its first 65535, Xen's largest batch: the size is a u16)
/// into one run of scratch pages, at each batch size of <see cref="BatchSize"/>: 1 is Linux's way
/// on 4 KiB pages (xlate_mmu.c remap_pte_fn: one XENMEM_add_to_physmap_range, the old name of
/// XENMEM_add_to_physmap_batch, of size 1 per page), 16 Linux's with 64 KiB pages
/// (XEN_PFN_PER_PAGE 16), then 256 and the largest, every frame in one call (the run the scratch
/// pool gives holds them all). The unmaps are Linux's at every size, one
/// XENMEM_remove_from_physmap per page (xen_xlate_unmap_gfn_range): Xen has no batched removal on
/// Arm (<see cref="ProbeDecreaseReservation"/>).
/// First an untimed pass at the largest size (Xen allocates its p2m tables for the run, which
/// later passes reuse): every page the peer wrote the pattern into is read back, and one page is
/// offered to XENMEM_decrease_reservation. Then each size maps and unmaps the same pages
/// (<see cref="SizeFigures"/>).
/// </summary>
internal static unsafe class ForeignMapBench
{
    public const int Sizes = 4;

    public static int BatchSize(int i, int largest) => i switch { 0 => 1, 1 => 16, 2 => 256, _ => largest };

    public static void Run<TBalloon>(ref GuestConsole console, ref ScratchPagePool<TBalloon> pool, ref GuestMemory mem,
        in MapBuffers buffers, in MapPeerOffer offer) where TBalloon : struct, IBalloonSource, allows ref struct
    {
        int pages = Math.Min(ForeignMemory.MaxBatch, offer.RamFrames(new Span<ulong>(buffers.Idxs, MapBuffers.Frames)));
        ScratchStatus taken = pool.AllocateRun((ulong)pages, out ulong run);
        if (pages == 0 || taken != ScratchStatus.Ok)
        {
            console.Write("guest-bench: FAIL foreign maps: no run of scratch pages for "u8);
            TextFormat.Decimal(ref console, (ulong)pages);
            console.Write(" pages: "u8);
            console.Write(ScratchStatusText.Name(taken));
            console.Write("\n"u8);
            return;
        }
        ulong runGfn = run >> PageSize.Shift;
        var real = new GuestHypercalls();
        var timed = new TimedHypercalls();
        var none = new NullHypercalls();
        ushort domid = offer.Domid;

        PassResult warm = default, warmUnmap = default;
        ForeignMapPass.Map(ref real, domid, buffers.Idxs, buffers.Gpfns, buffers.Errs, runGfn, pages, pages, ref warm);
        ulong intact = CheckPattern(ref mem, buffers, offer, pages, out ulong bad, out ulong unread);
        XenFailure reservation = ProbeDecreaseReservation(ref real, buffers);
        ForeignMapPass.Unmap(ref real, buffers.Gpfns, buffers.Errs, pages, ref warmUnmap);
        console.Write("guest-bench: foreign maps of domain "u8);
        TextFormat.Decimal(ref console, domid);
        console.Write("'s first "u8);
        TextFormat.Decimal(ref console, (ulong)pages);
        console.Write(" RAM frames at scratch "u8);
        TextFormat.Hex(ref console, run);
        console.Write(": "u8);
        TextFormat.Decimal(ref console, warm.Done);
        console.Write(" mapped, "u8);
        TextFormat.Decimal(ref console, intact);
        console.Write(" pattern pages read intact, "u8);
        TextFormat.Decimal(ref console, bad);
        console.Write(" not, "u8);
        TextFormat.Decimal(ref console, unread);
        console.Write(" kept by the peer unread; XENMEM_decrease_reservation of a foreign-mapped frame: "u8);
        if (reservation.IsFailure)
        {
            console.Write("refused ("u8);
            reservation.Write(ref console);
            console.Write("): no batched unmap of foreign pages on Arm, one XENMEM_remove_from_physmap per page\n"u8);
        }
        else
        {
            console.Write("accepted\n"u8);
        }
        BenchText.Count(ref console, "bench.foreign.pages"u8, (ulong)pages);
        BenchText.Count(ref console, "bench.foreign.largest_batch"u8, (ulong)pages);
        BenchText.Count(ref console, "bench.foreign.checked"u8, intact);
        BenchText.Count(ref console, "bench.foreign.bad"u8, bad + warm.Refused);
        BenchText.Count(ref console, "bench.foreign.decrease_reservation.refused"u8, reservation.IsFailure ? 1UL : 0UL);
        if (bad != 0 || warm.Refused != 0 || warmUnmap.Refused != 0)
            BenchText.Fail(ref console, "foreign maps (the untimed pass)"u8, First(warm.FirstRefusal.Or(warmUnmap.FirstRefusal)));

        SizeFigures one = default, best = default;
        for (int s = 0; s < Sizes; s++)
        {
            SizeFigures f = default;
            f.Batch = BatchSize(s, pages);
            ForeignMapPass.Map(ref real, domid, buffers.Idxs, buffers.Gpfns, buffers.Errs, runGfn, pages, f.Batch, ref f.Map);
            ForeignMapPass.Unmap(ref real, buffers.Gpfns, buffers.Errs, pages, ref f.Unmap);
            ForeignMapPass.Map(ref timed, domid, buffers.Idxs, buffers.Gpfns, buffers.Errs, runGfn, pages, f.Batch, ref f.TimedMap);
            ForeignMapPass.Unmap(ref timed, buffers.Gpfns, buffers.Errs, pages, ref f.TimedUnmap);
            ForeignMapPass.Map(ref none, domid, buffers.Idxs, buffers.Gpfns, buffers.Errs, runGfn, pages, f.Batch, ref f.NullMap);
            ForeignMapPass.Unmap(ref none, buffers.Gpfns, buffers.Errs, pages, ref f.NullUnmap);
            if (!f.Consistent)
                BenchText.Fail(ref console, "foreign maps"u8, First(f.FirstRefusal));
            MapFigures.Report(ref console, "foreign"u8, "foreign maps"u8, f, (ulong)pages, s == Sizes - 1);
            if (s == 0)
                one = f;
            if (s == 0 || f.Map.Split.TotalTicks < best.Map.Split.TotalTicks)
                best = f;
        }
        MapFigures.Summary(ref console, "foreign"u8, "foreign maps"u8, one, best, (ulong)pages);
        pool.FreeRun(run, (ulong)pages);
    }

    /// <summary>XENMEM_decrease_reservation of the first page mapped (Linux's balloon gives its
    /// own pages back that way, many per call): what Xen answers for a foreign mapping. Xen 4.17
    /// refuses on Arm (common/memory.c guest_remove_page takes a reference on the page as the
    /// caller's own, and a foreign page is the other domain's: -ENXIO, 0 extents done). Had it
    /// removed the page, its errs entry says so and the unmap pass skips it.</summary>
    private static XenFailure ProbeDecreaseReservation(ref GuestHypercalls hc, in MapBuffers buffers)
    {
        if (buffers.Errs[0] != 0)
            return XenFailure.Stub(XenFailureCause.Unreachable);
        XenFailure f = XenMemory.DecreaseReservation(ref hc, buffers.Gpfns[0]);
        if (!f.IsFailure)
            buffers.Errs[0] = -1;
        return f;
    }

    /// <summary>Every mapped page the peer wrote the pattern into, against the pattern of the frame
    /// it maps: those intact; <paramref name="bad"/> the others (or not mapped), <paramref name="unread"/>
    /// the pages the peer kept.</summary>
    private static ulong CheckPattern(ref GuestMemory mem, in MapBuffers buffers, in MapPeerOffer offer, int pages, out ulong bad,
        out ulong unread)
    {
        ulong intact = 0;
        bad = 0;
        unread = 0;
        for (int i = 0; i < pages; i++)
        {
            if (!offer.InPattern(buffers.Idxs[i]))
            {
                unread++;
                continue;
            }
            byte* page = buffers.Errs[i] == 0 ? mem.Page(buffers.Gpfns[i]) : null;
            if (page != null && MapControlPage.HasPattern(page, offer.Domid, buffers.Idxs[i]))
                intact++;
            else
                bad++;
        }
        return intact;
    }

    private static XenFailure First(in XenFailure f) => f.IsFailure ? f : XenFailure.Stub(XenFailureCause.Mismatch);
}
