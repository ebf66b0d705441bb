using GuestStub.Memory;
using GuestStub.Xen.Abi;

namespace GuestStub.Xen.Setup;

/// <summary>
/// A grant of one of the stub's RAM pages to itself, made by <see cref="GrantSelfTest.Begin"/>:
/// the entry, the page and what it holds, so a later stage can map it (the scratch self-test)
/// before <see cref="GrantSelfTest.End"/> ends the access.
/// </summary>
public readonly unsafe struct SelfGrant
{
    /// <summary>The grant entry (<see cref="GrantSelfTest.Reference"/>) in the mapped table.</summary>
    public readonly GrantEntryV1* Entry;
    /// <summary>The granted RAM page; 0 when none was allocated.</summary>
    public readonly ulong Gfn;
    public readonly ushort Domid;
    /// <summary>Why the grant could not be made (None when <see cref="IsGranted"/>).</summary>
    public readonly XenFailure Failure;

    public SelfGrant(GrantEntryV1* entry, ulong gfn, ushort domid, in XenFailure failure)
    {
        Entry = entry;
        Gfn = gfn;
        Domid = domid;
        Failure = failure;
    }

    public bool IsGranted => !Failure.IsFailure;

    /// <summary>The two words <see cref="GrantSelfTest.Begin"/> writes at the start of the page:
    /// a marker, then the page's own frame number.</summary>
    public ulong Pattern0 => GrantSelfTest.Pattern;
    public ulong Pattern1 => Gfn;
}

/// <summary>What the grant self-test found.</summary>
public readonly struct GrantSelfTestResult
{
    /// <summary>The test ran (Xen was set up).</summary>
    public readonly bool Ran;
    public readonly XenFailure Failure;

    public GrantSelfTestResult(bool ran, in XenFailure failure)
    {
        Ran = ran;
        Failure = failure;
    }
}

/// <summary>
/// Proves the grant table works: the stub grants one of its own RAM pages to itself in entry
/// <see cref="Reference"/> (frame and domid first, a barrier, then GTF_permit_access, as Linux's
/// gnttab_grant_foreign_access_ref) and reads the entry back through the mapping. The grant
/// stays until <see cref="End"/>, so a scratch page can map it in between; End clears the entry
/// and frees the page, unless Xen still maps it (GTF_reading/GTF_writing set, as Linux's
/// gnttab_end_foreign_access never frees a page still mapped).
/// </summary>
public static unsafe class GrantSelfTest
{
    /// <summary>The first entry not reserved by convention (GNTTAB_NR_RESERVED_ENTRIES = 8).</summary>
    public const uint Reference = GrantEntryV1.ReservedEntries;

    /// <summary>"GtSbutSG": recognisable in a dump.</summary>
    public const ulong Pattern = 0x4753_7475_6253_7447;

    public static SelfGrant Begin<TMem>(ref TMem mem, ref RamPageAllocator pages, in XenSetupResult xen) where TMem : struct, IGuestMemory
    {
        if (!xen.Identity.HasDomid)
            return Refused(XenFailure.Stub(XenFailureCause.NoDomainId));
        GrantTable table = xen.Grants.Table;
        if (table.EntryCount <= Reference)
            return Refused(XenFailure.Stub(XenFailureCause.TooFewEntries));
        GrantEntryV1* entry = table.Entry(ref mem, Reference);
        if (entry == null)
            return Refused(XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(table.FirstGfn));
        if (!pages.TryAllocate(1, out ulong gfn))
            return Refused(XenFailure.Stub(XenFailureCause.OutOfPages));
        ushort domid = xen.Identity.Domid;
        return new SelfGrant(entry, gfn, domid, Grant(ref mem, entry, domid, gfn));
    }

    /// <summary>Ends the grant and frees its page. <paramref name="stillMapped"/>: a later stage
    /// could not unmap it; that failure is already reported, and the entry cannot be ended while
    /// Xen maps it, so that is not a second failure here.</summary>
    public static GrantSelfTestResult End<TMem>(ref TMem mem, ref RamPageAllocator pages, in SelfGrant grant, bool stillMapped)
        where TMem : struct, IGuestMemory
    {
        XenFailure result = grant.Failure;
        if (grant.Entry != null && grant.Gfn != 0)
        {
            // A page Xen still maps is never given back for reuse: it stays allocated (a leak
            // the report names) rather than become memory another user could be handed.
            if (GrantTable.EndAccess(ref mem, grant.Entry))
                pages.Free(grant.Gfn, 1);
            else if (!result.IsFailure && !stillMapped)
                result = XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(Reference);
        }
        return new GrantSelfTestResult(true, result);
    }

    private static SelfGrant Refused(XenFailure failure) => new SelfGrant(null, 0, 0, failure);

    private static XenFailure Grant<TMem>(ref TMem mem, GrantEntryV1* entry, ushort domid, ulong gfn) where TMem : struct, IGuestMemory
    {
        // grant_entry_v1.frame is 32 bits: a higher frame would be granted truncated, and the
        // read-back below (truncated the same way) would not notice.
        if (gfn > uint.MaxValue)
            return XenFailure.Stub(XenFailureCause.FrameTooWide).WithGfn(gfn);
        ulong* page = (ulong*)mem.Page(gfn);
        if (page == null)
            return XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(gfn);
        page[0] = Pattern;
        page[1] = gfn;

        GrantTable.GrantAccess(ref mem, entry, domid, (uint)gfn, readOnly: false);
        if (entry->Frame != (uint)gfn || entry->Domid != domid ||
            (entry->Flags & GrantEntryV1.GtfPermitAccess) == 0)
            return XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(Reference);
        return XenFailure.None;
    }
}
