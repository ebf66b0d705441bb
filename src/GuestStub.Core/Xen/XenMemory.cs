using GuestStub.Xen.Abi;

namespace GuestStub.Xen;

/// <summary>
/// memory_op: moving frames in and out of the guest's physical address space
/// (xen/include/public/memory.h). Every call acts on the calling domain (DOMID_SELF) and on one
/// 4 KiB frame; the reservation calls return the number of extents done, so anything but 1 is
/// a failure here.
/// </summary>
public static unsafe class XenMemory
{
    /// <summary>XENMEM_add_to_physmap: map Xen's page <paramref name="idx"/> of
    /// <paramref name="space"/> (XENMAPSPACE_shared_info or _grant_table) at <paramref name="gfn"/>.
    /// Xen 4.17 answers -EBUSY when the page is already mapped at another frame, -EINVAL for a
    /// grant frame index at or past the maximum.</summary>
    public static XenFailure AddToPhysmap<THc>(ref THc hc, uint space, ulong idx, ulong gfn) where THc : struct, IXenHypercalls
    {
        XenAddToPhysmap args = default;
        args.Domid = DomainId.Self;
        args.Space = space;
        args.Idx = idx;
        args.Gpfn = gfn;
        long result = hc.Hypercall(HypercallNumber.MemoryOp, XenMemoryOp.AddToPhysmap, (ulong)&args, 0, 0, 0);
        if (result == 0)
            return XenFailure.None;
        XenCall call = space == XenMapSpace.SharedInfo ? XenCall.AddToPhysmapSharedInfo : XenCall.AddToPhysmapGrantTable;
        XenFailure failure = XenFailure.FromResult(call, result).WithGfn(gfn);
        return space == XenMapSpace.GrantTable ? failure.WithIndex(idx) : failure;
    }

    /// <summary>XENMEM_remove_from_physmap: unmap whatever is at <paramref name="gfn"/>
    /// (-ENOENT for a hole).</summary>
    public static XenFailure RemoveFromPhysmap<THc>(ref THc hc, ulong gfn) where THc : struct, IXenHypercalls
    {
        XenRemoveFromPhysmap args = default;
        args.Domid = DomainId.Self;
        args.Gpfn = gfn;
        long result = hc.Hypercall(HypercallNumber.MemoryOp, XenMemoryOp.RemoveFromPhysmap, (ulong)&args, 0, 0, 0);
        return result == 0 ? XenFailure.None : XenFailure.FromResult(XenCall.RemoveFromPhysmap, result).WithGfn(gfn);
    }

    /// <summary>XENMEM_decrease_reservation of the RAM page at <paramref name="gfn"/>: gives it
    /// back to Xen, leaving a hole (Linux's balloon, decrease_reservation()).</summary>
    public static XenFailure DecreaseReservation<THc>(ref THc hc, ulong gfn) where THc : struct, IXenHypercalls =>
        Reservation(ref hc, XenMemoryOp.DecreaseReservation, XenCall.DecreaseReservation, gfn);

    /// <summary>XENMEM_populate_physmap of one page at <paramref name="gfn"/>. A direct-mapped
    /// dom0 gets its own frame back (Xen accepts only gfn == mfn there); a translated domU gets
    /// any free page.</summary>
    public static XenFailure PopulatePhysmap<THc>(ref THc hc, ulong gfn) where THc : struct, IXenHypercalls =>
        Reservation(ref hc, XenMemoryOp.PopulatePhysmap, XenCall.PopulatePhysmap, gfn);

    private static XenFailure Reservation<THc>(ref THc hc, ulong op, XenCall call, ulong gfn) where THc : struct, IXenHypercalls
    {
        ulong frame = gfn;
        XenMemoryReservation args = default;
        args.ExtentStart = (ulong)&frame;
        args.NrExtents = 1;
        args.ExtentOrder = 0;
        args.MemFlags = 0;
        args.Domid = DomainId.Self;
        long result = hc.Hypercall(HypercallNumber.MemoryOp, op, (ulong)&args, 0, 0, 0);
        if (result == 1)
            return XenFailure.None;
        if (result < 0)
            return XenFailure.FromResult(call, result).WithGfn(gfn);
        return XenFailure.IncompleteExtents(call, result).WithGfn(gfn);
    }
}
