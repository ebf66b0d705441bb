using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Boot;

/// <summary>
/// Proves the grant table works: the stub grants one of its own RAM pages to itself in entry
/// <see cref="Reference"/> (frame and domid first, a barrier, then GTF_permit_access) and reads
/// the entry back through the mapping. Given a scratch page (guest-physical space with no RAM
/// behind it, from the scratch page pool), it also maps the grant there with
/// GNTTABOP_map_grant_ref, checks the page's contents through the scratch address and unmaps
/// it, as a backend would. The entry is cleared and the RAM page freed whatever happens.
/// </summary>
public static unsafe class GrantSelfTest
{
    /// <summary>The first entry not reserved by convention (GNTTAB_NR_RESERVED_ENTRIES = 8).</summary>
    public const uint Reference = GrantEntryV1.ReservedEntries;

    private const ulong Pattern = 0x4753_7475_6253_7447; // "GtSbutSG": recognisable in a dump

    /// <summary>The result of the mapping through a scratch page.</summary>
    public struct ScratchResult
    {
        /// <summary>The mapping was attempted (the grant itself was good and a page was given).</summary>
        public bool Ran;
        public XenFailure Failure;
        /// <summary>The grant is still mapped at the scratch page (unmap failed): the page must
        /// not be reused.</summary>
        public bool LeftMapped;
    }

    /// <summary>
    /// Runs the test. Returns the grant's own failure (entry, page, read-back); the mapping at
    /// <paramref name="scratchAddress"/> (0: none) is judged apart in <paramref name="scratch"/>,
    /// so a report can tell the grant table from the scratch page.
    /// </summary>
    public static XenFailure Run<THv>(ref THv hv, ref RamPageAllocator pages, in XenSetup xen, ulong scratchAddress, out ScratchResult scratch)
        where THv : struct, IXenHypervisor
    {
        scratch = default;
        if (!xen.HasDomid)
            return XenFailure.Stub(XenFailureCause.NoDomainId);
        if (xen.Grants.EntryCount <= Reference)
            return XenFailure.Stub(XenFailureCause.TooFewEntries);
        GrantEntryV1* entry = xen.Grants.Entry(ref hv, Reference);
        if (entry == null)
            return XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(xen.Grants.FirstGfn);
        if (!pages.TryAllocate(1, out ulong gfn))
            return XenFailure.Stub(XenFailureCause.OutOfPages);

        XenFailure result = Grant(ref hv, entry, xen.Domid, gfn);
        if (!result.IsFailure && scratchAddress != 0)
            scratch = MapThroughScratch(ref hv, xen.Domid, gfn, scratchAddress);
        // While the grant is mapped Xen keeps GTF_reading/writing set and the entry cannot be
        // ended; that is the scratch failure already reported, not a second one.
        if (!GrantTable.EndAccess(entry) && !result.IsFailure && !scratch.LeftMapped)
            result = XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(Reference);
        pages.Free(gfn, 1);
        return result;
    }

    private static XenFailure Grant<THv>(ref THv hv, GrantEntryV1* entry, ushort domid, ulong gfn) where THv : struct, IXenHypervisor
    {
        // grant_entry_v1.frame is 32 bits: a higher frame would be granted truncated, and the
        // read-back below (truncated the same way) would not notice.
        if (gfn > uint.MaxValue)
            return XenFailure.Stub(XenFailureCause.FrameTooWide).WithGfn(gfn);
        ulong* page = (ulong*)hv.Page(gfn);
        if (page == null)
            return XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(gfn);
        page[0] = Pattern;
        page[1] = gfn;

        GrantTable.GrantAccess(ref hv, entry, domid, (uint)gfn, readOnly: false);
        if (entry->Frame != (uint)gfn || entry->Domid != domid ||
            (entry->Flags & GrantEntryV1.GtfPermitAccess) == 0)
            return XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(Reference);
        return XenFailure.None;
    }

    /// <summary>map_grant_ref at the scratch page, the pattern read back through it, unmap.
    /// A scratch page in the identity map's Device part (the first GiB) is made Normal around
    /// the access, and restored while Xen still maps it (the cache clean needs the mapping).</summary>
    private static ScratchResult MapThroughScratch<THv>(ref THv hv, ushort domid, ulong gfn, ulong scratchAddress)
        where THv : struct, IXenHypervisor
    {
        ScratchResult r = default;
        r.Ran = true;
        ulong scratchGfn = scratchAddress >> XenPage.Shift;
        PhysicalRange.TryCreate(scratchAddress, XenPage.SizeBytes, out PhysicalRange scratchPage);
        if (!hv.BeginNormalAccess(scratchPage))
        {
            r.Failure = XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(scratchGfn);
            return r;
        }
        XenFailure f = GrantTable.MapGrantRef(ref hv, scratchAddress, domid, Reference, readOnly: false, out uint handle);
        if (f.IsFailure)
        {
            hv.EndNormalAccess(scratchPage);
            r.Failure = f;
            return r;
        }
        ulong* mapped = (ulong*)hv.Page(scratchGfn);
        bool same = mapped != null && mapped[0] == Pattern && mapped[1] == gfn;
        hv.EndNormalAccess(scratchPage);
        XenFailure unmap = GrantTable.UnmapGrantRef(ref hv, scratchAddress, handle);
        r.LeftMapped = unmap.IsFailure;
        r.Failure = !same ? XenFailure.Stub(XenFailureCause.Mismatch).WithGfn(scratchGfn) : unmap;
        return r;
    }
}
