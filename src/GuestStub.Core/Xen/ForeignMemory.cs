using System;
using GuestStub.Xen.Abi;

namespace GuestStub.Xen;

/// <summary>
/// Mapping another domain's memory into the caller's own guest-physical space, as a toolstack
/// or a backend does (Linux drivers/xen/privcmd.c, xen_remap_domain_gfn_array): frames of its RAM
/// with XENMEM_add_to_physmap_batch(XENMAPSPACE_gmfn_foreign), frames of its grant table with
/// XENMEM_acquire_resource. The targets are pages with no RAM behind them (scratch pages); each
/// mapping is undone with XENMEM_remove_from_physmap (<see cref="XenMemory.RemoveFromPhysmap"/>).
/// </summary>
public static unsafe class ForeignMemory
{
    /// <summary>The most frames one XENMEM_add_to_physmap_batch takes: its <c>size</c> is a u16.</summary>
    public const int MaxBatch = ushort.MaxValue;

    /// <summary>
    /// Maps frames <paramref name="foreignGfns"/> of domain <paramref name="foreignDomid"/> at the
    /// caller's <paramref name="gfns"/>; Xen's errno for each page lands in <paramref name="errs"/>
    /// (0: mapped). The batch is as long as the shortest of the three spans, and at most
    /// <see cref="MaxBatch"/> (the frames past it are not asked for: split longer batches). The
    /// returned failure is the hypercall's own; a page's failure is in its errs entry, and the
    /// pages that did map are the caller's to unmap. Xen maps entry by entry
    /// (xen/common/memory.c xenmem_add_to_physmap_batch: each idx and gpfn copied in, each errno
    /// copied out, on its own) and continues a preempted call where it stopped, unseen by the guest.
    /// </summary>
    public static XenFailure MapBatch<THc>(ref THc hc, ushort foreignDomid, ReadOnlySpan<ulong> foreignGfns, ReadOnlySpan<ulong> gfns,
        Span<int> errs) where THc : struct, IXenHypercalls
    {
        int count = Math.Min(MaxBatch, Math.Min(foreignGfns.Length, Math.Min(gfns.Length, errs.Length)));
        fixed (ulong* idxs = foreignGfns)
        fixed (ulong* targets = gfns)
        fixed (int* results = errs)
        {
            XenAddToPhysmapBatch args = default;
            args.Domid = DomainId.Self;
            args.Space = (ushort)XenMapSpace.GmfnForeign;
            args.Size = (ushort)count;
            args.ForeignDomid = foreignDomid;
            args.Idxs = (ulong)idxs;
            args.Gpfns = (ulong)targets;
            args.Errs = (ulong)results;
            long result = hc.Hypercall(HypercallNumber.MemoryOp, XenMemoryOp.AddToPhysmapBatch, (ulong)&args, 0, 0, 0);
            return result == 0 ? XenFailure.None : XenFailure.FromResult(XenCall.AddToPhysmapBatchForeign, result).WithDom(foreignDomid);
        }
    }

    /// <summary>One frame, <paramref name="foreignGfn"/> of <paramref name="foreignDomid"/>, at the
    /// caller's <paramref name="gfn"/>: a batch of one whose errs entry, if set, is the failure.</summary>
    public static XenFailure MapOne<THc>(ref THc hc, ushort foreignDomid, ulong foreignGfn, ulong gfn) where THc : struct, IXenHypercalls =>
        MapOne(ref hc, foreignDomid, foreignGfn, gfn, out _);

    /// <summary>As above; <paramref name="frameError"/> is the frame's errs entry (0 when it
    /// mapped, and when the call itself was refused, which refused no frame).</summary>
    public static XenFailure MapOne<THc>(ref THc hc, ushort foreignDomid, ulong foreignGfn, ulong gfn, out int frameError)
        where THc : struct, IXenHypercalls
    {
        Span<ulong> idx = stackalloc ulong[1] { foreignGfn };
        Span<ulong> gfns = stackalloc ulong[1] { gfn };
        Span<int> err = stackalloc int[1] { 0 };
        XenFailure f = MapBatch(ref hc, foreignDomid, idx, gfns, err);
        frameError = f.IsFailure ? 0 : err[0];
        if (frameError == 0)
            return f;
        return XenFailure.FromResult(XenCall.AddToPhysmapBatchForeign, frameError).WithDom(foreignDomid).WithGfn(foreignGfn);
    }

    /// <summary>XENMEM_remove_from_physmap of a frame mapped here: a refusal is kept in
    /// <paramref name="undo"/> (the first one wins), and the caller must not reuse a page it
    /// could not unmap.</summary>
    public static void Unmap<THc>(ref THc hc, ulong gfn, ref XenFailure undo) where THc : struct, IXenHypercalls
    {
        XenFailure f = XenMemory.RemoveFromPhysmap(ref hc, gfn);
        if (!undo.IsFailure)
            undo = f;
    }

    /// <summary>Maps frame <paramref name="frame"/> of domain <paramref name="domid"/>'s grant table
    /// (its shared entries) at the caller's <paramref name="gfn"/>.</summary>
    public static XenFailure AcquireGrantTableFrame<THc>(ref THc hc, ushort domid, uint frame, ulong gfn) where THc : struct, IXenHypercalls
    {
        ulong target = gfn;
        XenMemAcquireResource args = default;
        args.Domid = domid;
        args.Type = XenMemAcquireResource.TypeGrantTable;
        args.Id = XenMemAcquireResource.GrantTableIdShared;
        args.NrFrames = 1;
        args.Frame = frame;
        args.FrameList = (ulong)&target;
        long result = hc.Hypercall(HypercallNumber.MemoryOp, XenMemoryOp.AcquireResource, (ulong)&args, 0, 0, 0);
        return result == 0 ? XenFailure.None
            : XenFailure.FromResult(XenCall.AcquireResourceGrantTable, result).WithDom(domid).WithGfn(gfn);
    }
}
