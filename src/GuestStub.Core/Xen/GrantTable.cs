using System;
using System.Threading;
using GuestStub.Memory;
using GuestStub.Xen.Abi;

namespace GuestStub.Xen;

/// <summary>
/// The stub's own grant table (xen/include/public/grant_table.h, v1 entries), as Linux's
/// drivers/xen/grant-table.c sets it up on an auto-translated guest: the frames are Xen's pages,
/// mapped into the guest at consecutive frames with XENMEM_add_to_physmap(XENMAPSPACE_grant_table),
/// highest index first (gnttab_map()), so Xen grows the table to its full size at the first call.
/// A value: where the frames are (<see cref="FirstGfn"/>) and how many are mapped.
/// </summary>
public unsafe struct GrantTable
{
    /// <summary>GNTTABOP_query_size result Linux assumes when the call fails (legacy max, 4 frames).</summary>
    public const uint LegacyMaxFrames = 4;

    public ulong FirstGfn;
    /// <summary>Frames the table should have once mapped.</summary>
    public uint FrameCount;
    /// <summary>Frames mapped now: indexes [FrameCount - MappedCount, FrameCount) (mapped from the top).</summary>
    public uint MappedCount;

    public readonly PhysicalRange Range
    {
        get
        {
            PhysicalRange.TryCreate(FirstGfn << PageSize.Shift, (ulong)FrameCount << PageSize.Shift, out PhysicalRange r);
            return r;
        }
    }

    public readonly uint EntryCount => FrameCount * (uint)GrantEntryV1.EntriesPerFrame;

    /// <summary>GNTTABOP_query_size for DOMID_SELF: current and maximum frame counts.</summary>
    public static XenFailure QuerySize<THc>(ref THc hc, out uint nrFrames, out uint maxNrFrames) where THc : struct, IXenHypercalls
    {
        GnttabQuerySize args = default;
        args.Dom = DomainId.Self;
        long result = hc.Hypercall(HypercallNumber.GrantTableOp, GrantTableOp.QuerySize, (ulong)&args, 1, 0, 0);
        nrFrames = args.NrFrames;
        maxNrFrames = args.MaxNrFrames;
        if (result < 0)
            return XenFailure.FromResult(XenCall.GnttabQuerySize, result);
        if (args.Status != GrantStatus.Okay)
            return XenFailure.FromGrantStatus(XenCall.GnttabQuerySize, args.Status);
        return XenFailure.None;
    }

    /// <summary>Maps frames FrameCount-1 down to 0 at FirstGfn + index. On a failure the frames
    /// mapped so far stay mapped (<see cref="MappedCount"/>) for <see cref="UnmapFrames"/>.</summary>
    public XenFailure MapFrames<THc>(ref THc hc) where THc : struct, IXenHypercalls
    {
        while (MappedCount < FrameCount)
        {
            ulong index = FrameCount - 1 - MappedCount;
            XenFailure f = XenMemory.AddToPhysmap(ref hc, XenMapSpace.GrantTable, index, FirstGfn + index);
            if (f.IsFailure)
                return f;
            MappedCount++;
        }
        return XenFailure.None;
    }

    /// <summary>XENMEM_remove_from_physmap for every mapped frame, lowest index first. Keeps
    /// going after a failure (so as much as possible is returned) and reports the first one.</summary>
    public XenFailure UnmapFrames<THc>(ref THc hc) where THc : struct, IXenHypercalls
    {
        XenFailure first = XenFailure.None;
        uint lowest = FrameCount - MappedCount;
        for (uint index = lowest; index < FrameCount; index++)
        {
            XenFailure f = XenMemory.RemoveFromPhysmap(ref hc, FirstGfn + index);
            if (f.IsFailure && !first.IsFailure)
                first = f;
        }
        MappedCount = 0;
        return first;
    }

    /// <summary>The v1 entry <paramref name="gref"/> through the mapping, or null when the frame
    /// holding it is not mapped or not reachable.</summary>
    public readonly GrantEntryV1* Entry<TMem>(ref TMem mem, uint gref) where TMem : struct, IGuestMemory
    {
        uint frame = gref / (uint)GrantEntryV1.EntriesPerFrame;
        if (frame >= FrameCount || MappedCount != FrameCount)
            return null;
        byte* page = mem.Page(FirstGfn + frame);
        if (page == null)
            return null;
        return (GrantEntryV1*)(page + (gref % (uint)GrantEntryV1.EntriesPerFrame) * GrantEntryV1.SizeBytes);
    }

    /// <summary>Grants <paramref name="domid"/> access to <paramref name="frame"/> through
    /// <paramref name="entry"/>: frame and domid first, a write barrier, then the flags (Linux
    /// gnttab_grant_foreign_access_ref / gnttab_update_entry_v1).</summary>
    public static void GrantAccess<TMem>(ref TMem mem, GrantEntryV1* entry, ushort domid, uint frame, bool readOnly)
        where TMem : struct, IGuestMemory
    {
        entry->Frame = frame;
        entry->Domid = domid;
        mem.WriteBarrier();
        Volatile.Write(ref entry->Flags, (ushort)(GrantEntryV1.GtfPermitAccess | (readOnly ? GrantEntryV1.GtfReadonly : 0)));
    }

    /// <summary>Tries at most this many times to clear the flags while Xen keeps changing them;
    /// a caller that gets false tries again later, within its own bound.</summary>
    private const int EndAccessAttempts = 64;

    /// <summary>
    /// Ends access: clears the entry's flags unless Xen still has the grant mapped
    /// (GTF_reading/GTF_writing), with a compare-and-swap, as Linux's
    /// gnttab_end_foreign_access_ref_v1: a map that lands between reading the flags and clearing
    /// them makes the swap fail, so the flags of a mapped entry are never cleared. False (entry
    /// untouched) while it is mapped. The swap is on the entry's 8 bytes (flags, domid, frame),
    /// which are 8-byte aligned; only the flags change.
    /// </summary>
    public static bool EndAccess<TMem>(ref TMem mem, GrantEntryV1* entry) where TMem : struct, IGuestMemory
    {
        ulong* word = (ulong*)entry;
        ulong seen = Volatile.Read(ref *word);
        for (int attempt = 0; attempt < EndAccessAttempts; attempt++)
        {
            // Little-endian: the flags are the entry's low 16 bits.
            if ((seen & (GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting)) != 0)
                return false;
            ulong found = mem.AtomicCompareExchange(word, seen, seen & ~(ulong)ushort.MaxValue);
            if (found == seen)
                return true;
            seen = found;
        }
        return false;
    }

    /// <summary>GNTTABOP_map_grant_ref with GNTMAP_host_map: maps grant <paramref name="gref"/>
    /// of domain <paramref name="dom"/> at guest-physical <paramref name="hostAddress"/>.</summary>
    public static XenFailure MapGrantRef<THc>(ref THc hc, ulong hostAddress, ushort dom, uint gref, bool readOnly, out uint handle)
        where THc : struct, IXenHypercalls
    {
        GnttabMapGrantRef args = default;
        args.HostAddr = hostAddress;
        args.Flags = GnttabMapGrantRef.GntmapHostMap | (readOnly ? GnttabMapGrantRef.GntmapReadonly : 0);
        args.Ref = gref;
        args.Dom = dom;
        long result = hc.Hypercall(HypercallNumber.GrantTableOp, GrantTableOp.MapGrantRef, (ulong)&args, 1, 0, 0);
        handle = args.Handle;
        if (result < 0)
            return XenFailure.FromResult(XenCall.GnttabMapGrantRef, result).WithIndex(gref);
        if (args.Status != GrantStatus.Okay)
            return XenFailure.FromGrantStatus(XenCall.GnttabMapGrantRef, args.Status).WithIndex(gref);
        return XenFailure.None;
    }

    /// <summary>
    /// GNTTABOP_map_grant_ref with <c>count</c> = <paramref name="ops"/>.Length: one hypercall
    /// for every entry, as Linux's gnttab_map_refs (gntdev maps a whole mapping that way). The
    /// caller fills each entry (host_addr, flags, ref, dom); Xen writes each one's status and
    /// handle back (xen/common/grant_table.c gnttab_map_grant_ref: entry by entry, each copied
    /// in and out on its own; a preempted call continues where it stopped, unseen by the
    /// guest). Returns the call's own failure, else the first entry whose status is not
    /// GNTST_okay (its index in <paramref name="ops"/> in <paramref name="failedEntry"/>, -1
    /// when none): the entries that did map are the caller's to unmap. An empty span makes no
    /// call.
    /// </summary>
    public static XenFailure MapGrantRefs<THc>(ref THc hc, Span<GnttabMapGrantRef> ops, out int failedEntry)
        where THc : struct, IXenHypercalls
    {
        failedEntry = -1;
        if (ops.IsEmpty)
            return XenFailure.None;
        long result;
        fixed (GnttabMapGrantRef* first = ops)
            result = hc.Hypercall(HypercallNumber.GrantTableOp, GrantTableOp.MapGrantRef, (ulong)first, (ulong)ops.Length, 0, 0);
        if (result < 0)
            return XenFailure.FromResult(XenCall.GnttabMapGrantRef, result);
        for (int i = 0; i < ops.Length; i++)
        {
            if (ops[i].Status == GrantStatus.Okay)
                continue;
            failedEntry = i;
            return XenFailure.FromGrantStatus(XenCall.GnttabMapGrantRef, ops[i].Status).WithIndex(ops[i].Ref).WithDom(ops[i].Dom);
        }
        return XenFailure.None;
    }

    /// <summary>
    /// GNTTABOP_unmap_grant_ref with <c>count</c> = <paramref name="ops"/>.Length (Linux
    /// gnttab_unmap_refs). The caller fills host_addr and handle from the map. Returns the
    /// call's own failure, else the first entry Xen refused (its index in
    /// <paramref name="failedEntry"/>, -1 when none); every entry has its own status, and one
    /// refused does not stop the others. On Arm each entry's p2m removal flushes the TLB on its
    /// own (p2m_write_unlock); Xen's flush per 32 entries (GNTTAB_UNMAP_BATCH_SIZE) does nothing
    /// for a translated guest. An empty span makes no call.
    /// </summary>
    public static XenFailure UnmapGrantRefs<THc>(ref THc hc, Span<GnttabUnmapGrantRef> ops, out int failedEntry)
        where THc : struct, IXenHypercalls
    {
        failedEntry = -1;
        if (ops.IsEmpty)
            return XenFailure.None;
        long result;
        fixed (GnttabUnmapGrantRef* first = ops)
            result = hc.Hypercall(HypercallNumber.GrantTableOp, GrantTableOp.UnmapGrantRef, (ulong)first, (ulong)ops.Length, 0, 0);
        if (result < 0)
            return XenFailure.FromResult(XenCall.GnttabUnmapGrantRef, result);
        for (int i = 0; i < ops.Length; i++)
        {
            if (ops[i].Status == GrantStatus.Okay)
                continue;
            failedEntry = i;
            return XenFailure.FromGrantStatus(XenCall.GnttabUnmapGrantRef, ops[i].Status).WithGfn(ops[i].HostAddr >> PageSize.Shift);
        }
        return XenFailure.None;
    }

    /// <summary>GNTTABOP_unmap_grant_ref of a mapping made by <see cref="MapGrantRef"/>.</summary>
    public static XenFailure UnmapGrantRef<THc>(ref THc hc, ulong hostAddress, uint handle) where THc : struct, IXenHypercalls
    {
        GnttabUnmapGrantRef args = default;
        args.HostAddr = hostAddress;
        args.Handle = handle;
        long result = hc.Hypercall(HypercallNumber.GrantTableOp, GrantTableOp.UnmapGrantRef, (ulong)&args, 1, 0, 0);
        if (result < 0)
            return XenFailure.FromResult(XenCall.GnttabUnmapGrantRef, result).WithGfn(hostAddress >> PageSize.Shift);
        if (args.Status != GrantStatus.Okay)
            return XenFailure.FromGrantStatus(XenCall.GnttabUnmapGrantRef, args.Status).WithGfn(hostAddress >> PageSize.Shift);
        return XenFailure.None;
    }
}
