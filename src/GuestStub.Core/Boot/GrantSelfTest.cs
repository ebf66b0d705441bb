using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Boot;

/// <summary>
/// Proves the grant table works: the stub grants one of its own RAM pages to itself in entry
/// <see cref="Reference"/> (frame and domid first, a barrier, then GTF_permit_access) and reads
/// the entry back through the mapping. Given a scratch frame (a hole in the guest's physical
/// space, from an extended region), it also maps the grant there with GNTTABOP_map_grant_ref,
/// checks the page's contents through it and unmaps it, as a backend would. The entry is
/// cleared and the page freed whatever happens.
/// </summary>
public static unsafe class GrantSelfTest
{
    /// <summary>The first entry not reserved by convention (GNTTAB_NR_RESERVED_ENTRIES = 8).</summary>
    public const uint Reference = GrantEntryV1.ReservedEntries;

    private const ulong Pattern = 0x4753_7475_6253_7447; // "GtSbutSG": recognisable in a dump

    public static XenFailure Run<THv>(ref THv hv, ref RamPageAllocator pages, in XenSetup xen, ulong scratchGfn, out bool mappedThroughScratch)
        where THv : struct, IXenHypervisor
    {
        mappedThroughScratch = false;
        if (!xen.HasDomid)
            return XenFailure.Stub(XenFailureCause.NoDomainId);
        if (xen.Grants.EntryCount <= Reference)
            return XenFailure.Stub(XenFailureCause.TooFewEntries);
        GrantEntryV1* entry = xen.Grants.Entry(ref hv, Reference);
        if (entry == null)
            return XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(xen.Grants.FirstGfn);
        if (!pages.TryAllocate(1, out ulong gfn))
            return XenFailure.Stub(XenFailureCause.OutOfPages);

        XenFailure result = GrantAndCheck(ref hv, entry, xen.Domid, gfn, scratchGfn, out mappedThroughScratch);
        if (!GrantTable.EndAccess(entry) && !result.IsFailure)
            result = XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(Reference);
        pages.Free(gfn, 1);
        return result;
    }

    private static XenFailure GrantAndCheck<THv>(ref THv hv, GrantEntryV1* entry, ushort domid, ulong gfn, ulong scratchGfn,
        out bool mappedThroughScratch) where THv : struct, IXenHypervisor
    {
        mappedThroughScratch = false;
        ulong* page = (ulong*)hv.Page(gfn);
        if (page == null)
            return XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(gfn);
        page[0] = Pattern;
        page[1] = gfn;

        GrantTable.GrantAccess(ref hv, entry, domid, (uint)gfn, readOnly: false);
        if (entry->Frame != (uint)gfn || entry->Domid != domid ||
            (entry->Flags & GrantEntryV1.GtfPermitAccess) == 0)
            return XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(Reference);

        if (scratchGfn == 0)
            return XenFailure.None;

        ulong hostAddress = scratchGfn << XenPage.Shift;
        XenFailure f = GrantTable.MapGrantRef(ref hv, hostAddress, domid, Reference, readOnly: false, out uint handle);
        if (f.IsFailure)
            return f;
        ulong* mapped = (ulong*)hv.Page(scratchGfn);
        bool same = mapped != null && mapped[0] == Pattern && mapped[1] == gfn;
        XenFailure unmap = GrantTable.UnmapGrantRef(ref hv, hostAddress, handle);
        if (!same)
            return XenFailure.Stub(XenFailureCause.Mismatch).WithGfn(scratchGfn);
        mappedThroughScratch = true;
        return unmap;
    }
}
