using GuestStub.Memory;

namespace GuestStub.Xen.Setup;

/// <summary>
/// Where the stub mapped shared_info and how far it got: a RAM page of its own, ballooned out
/// first (unlike Linux, which leaves the RAM page behind the mapping stranded, so that teardown
/// can repopulate it and the guest's memory is whole again), then XENMEM_add_to_physmap
/// (XENMAPSPACE_shared_info) over the hole. The record says exactly what was done, so
/// <see cref="Unmap"/> undoes exactly that, also after a partial <see cref="Map"/>.
/// </summary>
public readonly struct SharedInfoMapping
{
    public readonly ulong Gfn;
    /// <summary>The RAM page was taken from the stub's page allocator.</summary>
    public readonly bool Allocated;
    /// <summary>Its frame was given back to Xen (XENMEM_decrease_reservation).</summary>
    public readonly bool Ballooned;
    /// <summary>Xen maps shared_info there.</summary>
    public readonly bool Mapped;

    private SharedInfoMapping(ulong gfn, bool allocated, bool ballooned, bool mapped)
    {
        Gfn = gfn;
        Allocated = allocated;
        Ballooned = ballooned;
        Mapped = mapped;
    }

    public ulong Address => Gfn << PageSize.Shift;

    public static XenFailure Map<THc>(ref THc hc, ref RamPageAllocator pages, out SharedInfoMapping mapping)
        where THc : struct, IXenHypercalls
    {
        mapping = default;
        if (!pages.TryAllocate(1, out ulong gfn))
            return XenFailure.Stub(XenFailureCause.OutOfPages);
        mapping = new SharedInfoMapping(gfn, true, false, false);
        XenFailure f = XenMemory.DecreaseReservation(ref hc, gfn);
        if (f.IsFailure)
            return f;
        mapping = new SharedInfoMapping(gfn, true, true, false);
        f = SharedInfo.Map(ref hc, gfn);
        if (f.IsFailure)
            return f;
        mapping = new SharedInfoMapping(gfn, true, true, true);
        return XenFailure.None;
    }

    /// <summary>Unmaps, repopulates and frees what <see cref="Map"/> recorded. Keeps going after
    /// a failure and returns the first.</summary>
    public XenFailure Unmap<THc>(ref THc hc, ref RamPageAllocator pages) where THc : struct, IXenHypercalls
    {
        XenFailure first = Mapped ? SharedInfo.Unmap(ref hc, Gfn) : XenFailure.None;
        if (Ballooned)
            first = first.Or(XenMemory.PopulatePhysmap(ref hc, Gfn));
        if (Allocated)
            pages.Free(Gfn, 1);
        return first;
    }
}
