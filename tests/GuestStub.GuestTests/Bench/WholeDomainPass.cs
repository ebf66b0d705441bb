using System;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.GuestTests;

/// <summary>
/// The whole peer mapped at once, as a toolstack maps a domain to save it: every frame of its RAM
/// (at most <see cref="MapBuffers.Frames"/>) with XENMEM_add_to_physmap_batch at Xen's largest
/// batch, into one run of scratch pages in the extended region (<see cref="ScratchPagePool{TBalloon}.AllocateRun"/>);
/// then every page read: a frame the peer wrote the pattern into must have mapped and read its
/// pattern, a frame it kept (its image, its tree, its control page) must only have mapped or
/// been refused; then every mapping undone with XENMEM_remove_from_physmap, and each page of the
/// run asked once more, which Xen must answer -ENOENT (nothing mapped there any more); and the run
/// given back. Each step is timed.
/// </summary>
internal static unsafe class WholeDomainPass
{
    /// <summary>What XENMEM_remove_from_physmap answers for a frame with nothing mapped.</summary>
    private const int Enoent = -2;

    public static bool Run<TBalloon>(ref GuestConsole console, ref ScratchPagePool<TBalloon> pool, ref GuestMemory mem,
        in MapBuffers buffers, in MapPeerOffer offer) where TBalloon : struct, IBalloonSource, allows ref struct
    {
        int frames = offer.RamFrames(new Span<ulong>(buffers.Idxs, MapBuffers.Frames));
        ulong usedBefore = pool.UsedPageCount;
        ulong t0 = Native.ReadCntvct();
        ScratchStatus taken = pool.AllocateRun((ulong)frames, out ulong run);
        ulong allocTicks = Native.ReadCntvct() - t0;
        if (frames == 0 || taken != ScratchStatus.Ok)
        {
            console.Write("guest-bench: FAIL whole domain: no run of scratch pages for "u8);
            TextFormat.Decimal(ref console, (ulong)frames);
            console.Write(" frames: "u8);
            console.Write(ScratchStatusText.Name(taken));
            console.Write("\n"u8);
            return false;
        }
        ulong runGfn = run >> PageSize.Shift;
        PhysicalRange.TryCreate(run, (ulong)frames << PageSize.Shift, out PhysicalRange runRange);
        bool normal = mem.BeginNormalAccess(runRange);
        var hc = new GuestHypercalls();
        ushort domid = offer.Domid;

        PassResult map = default;
        ForeignMapPass.Map(ref hc, domid, buffers.Idxs, buffers.Gpfns, buffers.Errs, runGfn, frames, ForeignMemory.MaxBatch, ref map);

        // Every page: the pattern where the peer wrote it, else only counted.
        ulong checkedPages = 0, bad = 0, other = 0, refused = 0;
        XenFailure firstBad = XenFailure.None;
        ulong t1 = Native.ReadCntvct();
        for (int i = 0; i < frames; i++)
        {
            ulong frame = buffers.Idxs[i];
            bool patterned = offer.InPattern(frame);
            if (buffers.Errs[i] != 0)
            {
                if (patterned)
                {
                    bad++;
                    firstBad = firstBad.Or(XenFailure.FromResult(XenCall.AddToPhysmapBatchForeign, buffers.Errs[i]).WithDom(domid).WithGfn(frame));
                }
                else
                {
                    refused++;
                }
                continue;
            }
            if (!patterned)
            {
                other++;
                continue;
            }
            byte* page = normal ? mem.Page(runGfn + (ulong)i) : null;
            if (page != null && MapControlPage.HasPattern(page, domid, frame))
            {
                checkedPages++;
            }
            else
            {
                bad++;
                firstBad = firstBad.Or(XenFailure.Stub(XenFailureCause.Mismatch).WithDom(domid).WithGfn(frame));
            }
        }
        ulong readTicks = Native.ReadCntvct() - t1;
        if (normal)
            mem.EndNormalAccess(runRange);

        PassResult unmap = default;
        ForeignMapPass.Unmap(ref hc, buffers.Gpfns, buffers.Errs, frames, ref unmap);

        // Nothing left: Xen must find no mapping at any page of the run. One it finds was still
        // mapped, and is unmapped by this very call.
        ulong leftMapped = 0, otherAnswers = 0;
        XenFailure firstLeft = XenFailure.None;
        ulong t2 = Native.ReadCntvct();
        for (int i = 0; i < frames; i++)
        {
            XenFailure f = XenMemory.RemoveFromPhysmap(ref hc, runGfn + (ulong)i);
            if (f.Cause == XenFailureCause.Errno && f.Value == Enoent)
                continue;
            if (f.IsFailure)
                otherAnswers++;
            else
                leftMapped++;
            firstLeft = firstLeft.Or(f.IsFailure ? f : XenFailure.Stub(XenFailureCause.Mismatch).WithGfn(runGfn + (ulong)i));
        }
        ulong verifyTicks = Native.ReadCntvct() - t2;

        ulong t3 = Native.ReadCntvct();
        ScratchStatus freed = pool.FreeRun(run, (ulong)frames);
        ulong freeTicks = Native.ReadCntvct() - t3;

        bool ok = bad == 0 && map.Done == unmap.Done && unmap.Refused == 0 && leftMapped == 0 && otherAnswers == 0 &&
            freed == ScratchStatus.Ok && pool.UsedPageCount == usedBefore && checkedPages == offer.PatternPageCount;
        console.Write("guest-bench: whole domain "u8);
        TextFormat.Decimal(ref console, domid);
        console.Write(": "u8);
        TextFormat.Decimal(ref console, (ulong)frames);
        console.Write(" RAM frames mapped in "u8);
        TextFormat.Decimal(ref console, ((ulong)frames + ForeignMemory.MaxBatch - 1) / ForeignMemory.MaxBatch);
        console.Write(" calls at scratch "u8);
        TextFormat.Range(ref console, runRange);
        console.Write(" ("u8);
        TextFormat.Decimal(ref console, map.Done);
        console.Write(" mapped, "u8);
        TextFormat.Decimal(ref console, map.Refused);
        console.Write(" refused); "u8);
        TextFormat.Decimal(ref console, checkedPages);
        console.Write(" of the peer's "u8);
        TextFormat.Decimal(ref console, offer.PatternPageCount);
        console.Write(" pattern pages read intact, "u8);
        TextFormat.Decimal(ref console, bad);
        console.Write(" not, "u8);
        TextFormat.Decimal(ref console, other);
        console.Write(" pages it kept mapped unread; "u8);
        TextFormat.Decimal(ref console, unmap.Done);
        console.Write(" unmapped, and XENMEM_remove_from_physmap again found "u8);
        TextFormat.Decimal(ref console, leftMapped);
        console.Write(" still mapped of "u8);
        TextFormat.Decimal(ref console, (ulong)frames);
        console.Write(" (-ENOENT for the rest); run given back: "u8);
        console.Write(ScratchStatusText.Name(freed));
        console.Write("\n"u8);
        console.Write("guest-bench: whole domain, per page: map "u8);
        BenchText.InstructionsValue(ref console, map.Split.TotalTicks, (ulong)frames);
        console.Write(" instructions, read "u8);
        BenchText.InstructionsValue(ref console, readTicks, (ulong)frames);
        console.Write(", unmap "u8);
        BenchText.InstructionsValue(ref console, unmap.Split.TotalTicks, (ulong)frames);
        console.Write(", check "u8);
        BenchText.InstructionsValue(ref console, verifyTicks, (ulong)frames);
        console.Write("; the run: "u8);
        BenchText.InstructionsValue(ref console, allocTicks, 1);
        console.Write(" instructions to take, "u8);
        BenchText.InstructionsValue(ref console, freeTicks, 1);
        console.Write(" to give back\n"u8);
        if (!ok)
            BenchText.Fail(ref console, "whole domain"u8, firstBad.Or(unmap.FirstRefusal).Or(firstLeft).Or(XenFailure.Stub(XenFailureCause.Mismatch)));

        BenchText.Count(ref console, "bench.whole.frames"u8, (ulong)frames);
        BenchText.Count(ref console, "bench.whole.map.calls"u8, ((ulong)frames + ForeignMemory.MaxBatch - 1) / ForeignMemory.MaxBatch);
        BenchText.Count(ref console, "bench.whole.mapped"u8, map.Done);
        BenchText.Count(ref console, "bench.whole.refused"u8, map.Refused);
        BenchText.Count(ref console, "bench.whole.checked"u8, checkedPages);
        BenchText.Count(ref console, "bench.whole.bad"u8, bad);
        BenchText.Count(ref console, "bench.whole.unread"u8, other);
        BenchText.Count(ref console, "bench.whole.unmapped"u8, unmap.Done);
        BenchText.Count(ref console, "bench.whole.left_mapped"u8, leftMapped + otherAnswers);
        BenchText.Instructions(ref console, "bench.whole.map"u8, map.Split.TotalTicks, (ulong)frames);
        BenchText.Instructions(ref console, "bench.whole.read"u8, readTicks, (ulong)frames);
        BenchText.Instructions(ref console, "bench.whole.unmap"u8, unmap.Split.TotalTicks, (ulong)frames);
        BenchText.Instructions(ref console, "bench.whole.check"u8, verifyTicks, (ulong)frames);
        BenchText.Count(ref console, "bench.whole.run_take"u8, allocTicks * GuestBench.InstructionsPerTick);
        BenchText.Count(ref console, "bench.whole.run_give_back"u8, freeTicks * GuestBench.InstructionsPerTick);
        GuestStub.Report.ReportLine.Write(ref console, "bench.whole.verdict"u8, ok ? "ok"u8 : "failed"u8);
        return ok;
    }
}
