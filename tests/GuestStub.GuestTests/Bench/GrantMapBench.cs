using System;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.GuestTests;

/// <summary>
/// Grant maps of the pages the peer granted (<see cref="MapPeer.DataGrants"/> refs) into one run
/// of scratch pages with GNTTABOP_map_grant_ref, and their unmaps with GNTTABOP_unmap_grant_ref,
/// at 1, 16, 256 and all of them per call (Linux's gntdev maps a whole mapping with one
/// gnttab_map_refs): <see cref="GrantMapPass"/>. As <see cref="ForeignMapBench"/>: an untimed
/// pass at the largest size first (Xen grows dom0's maptrack table for the handles), every page
/// read back; then each size's six passes (<see cref="SizeFigures"/>).
/// </summary>
internal static unsafe class GrantMapBench
{
    public static void Run<TBalloon>(ref GuestConsole console, ref ScratchPagePool<TBalloon> pool, ref GuestMemory mem,
        in MapBuffers buffers, in MapPeerOffer offer) where TBalloon : struct, IBalloonSource, allows ref struct
    {
        int pages = (int)Math.Min(offer.DataGrants, (uint)MapBuffers.Grants);
        ScratchStatus taken = pool.AllocateRun((ulong)pages, out ulong run);
        if (pages == 0 || taken != ScratchStatus.Ok)
        {
            console.Write("guest-bench: FAIL grant maps: no run of scratch pages for "u8);
            TextFormat.Decimal(ref console, (ulong)pages);
            console.Write(" grants: "u8);
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
        GrantMapPass.Map(ref real, domid, offer.FirstDataRef, buffers.MapOps, runGfn, pages, pages, ref warm);
        ulong bad = 0;
        for (int i = 0; i < pages; i++)
        {
            if (buffers.MapOps[i].Status != GrantStatus.Okay)
                continue;
            byte* page = mem.Page(runGfn + (ulong)i);
            if (page == null || !MapControlPage.HasPattern(page, domid, offer.DataGfn + (ulong)i))
                bad++;
        }
        GrantMapPass.Unmap(ref real, buffers.MapOps, buffers.UnmapOps, pages, pages, ref warmUnmap);
        console.Write("guest-bench: grant maps of domain "u8);
        TextFormat.Decimal(ref console, domid);
        console.Write("'s refs "u8);
        TextFormat.Decimal(ref console, offer.FirstDataRef);
        console.Write("-"u8);
        TextFormat.Decimal(ref console, offer.FirstDataRef + (uint)pages - 1);
        console.Write(" at scratch "u8);
        TextFormat.Hex(ref console, run);
        console.Write(", read back: "u8);
        TextFormat.Decimal(ref console, warm.Done - bad);
        console.Write(" intact, "u8);
        TextFormat.Decimal(ref console, bad);
        console.Write(" not\n"u8);
        BenchText.Count(ref console, "bench.grant.pages"u8, (ulong)pages);
        BenchText.Count(ref console, "bench.grant.checked"u8, warm.Done - bad);
        BenchText.Count(ref console, "bench.grant.bad"u8, bad + warm.Refused);
        if (bad != 0 || warm.Refused != 0 || warmUnmap.Refused != 0)
            BenchText.Fail(ref console, "grant maps (untimed pass)"u8, First(warm.FirstRefusal.Or(warmUnmap.FirstRefusal)));

        SizeFigures one = default, best = default;
        for (int s = 0; s < ForeignMapBench.Sizes; s++)
        {
            SizeFigures f = default;
            f.Batch = ForeignMapBench.BatchSize(s, pages);
            GrantMapPass.Map(ref real, domid, offer.FirstDataRef, buffers.MapOps, runGfn, pages, f.Batch, ref f.Map);
            GrantMapPass.Unmap(ref real, buffers.MapOps, buffers.UnmapOps, pages, f.Batch, ref f.Unmap);
            GrantMapPass.Map(ref timed, domid, offer.FirstDataRef, buffers.MapOps, runGfn, pages, f.Batch, ref f.TimedMap);
            GrantMapPass.Unmap(ref timed, buffers.MapOps, buffers.UnmapOps, pages, f.Batch, ref f.TimedUnmap);
            GrantMapPass.Map(ref none, domid, offer.FirstDataRef, buffers.MapOps, runGfn, pages, f.Batch, ref f.NullMap);
            GrantMapPass.Unmap(ref none, buffers.MapOps, buffers.UnmapOps, pages, f.Batch, ref f.NullUnmap);
            if (!f.Consistent)
                BenchText.Fail(ref console, "grant maps"u8, First(f.FirstRefusal));
            MapFigures.Report(ref console, "grant"u8, "grant maps"u8, f, (ulong)pages, s == ForeignMapBench.Sizes - 1);
            if (s == 0)
                one = f;
            if (s == 0 || f.Map.Split.TotalTicks < best.Map.Split.TotalTicks)
                best = f;
        }
        MapFigures.Summary(ref console, "grant"u8, "grant maps"u8, one, best, (ulong)pages);
        pool.FreeRun(run, (ulong)pages);
    }

    private static XenFailure First(in XenFailure f) => f.IsFailure ? f : XenFailure.Stub(XenFailureCause.Mismatch);
}
