namespace GuestStub.Xen;

/// <summary>
/// The shared_info page (xen/include/public/xen.h struct shared_info): per-vCPU upcall state,
/// event-channel bitmaps and wallclock, shared with Xen. Linux's xen_guest_init maps it with
/// XENMEM_add_to_physmap(XENMAPSPACE_shared_info, idx 0) at a page it owns.
/// </summary>
public static class SharedInfo
{
    /// <summary>Maps shared_info at <paramref name="gfn"/>. The caller has ballooned that page out
    /// first, so nothing of the guest's is lost under the mapping.</summary>
    public static XenFailure Map<THc>(ref THc hc, ulong gfn) where THc : struct, IXenHypercalls =>
        XenMemory.AddToPhysmap(ref hc, XenMapSpace.SharedInfo, 0, gfn);

    /// <summary>Unmaps it again (Xen 4.17 refuses a second mapping with -EBUSY until this is done).</summary>
    public static XenFailure Unmap<THc>(ref THc hc, ulong gfn) where THc : struct, IXenHypercalls =>
        XenMemory.RemoveFromPhysmap(ref hc, gfn);
}
