using GuestStub.Memory;
using GuestStub.Platform;

namespace GuestStub.Xen.Setup;

/// <summary>
/// Where the stub's grant table went and how far the mapping got, Linux's gnttab_init on an
/// auto-translated guest: the frame count from GNTTABOP_query_size (Linux's legacy 4 when it
/// fails), then the frames at region 0 of the hypervisor node when it is usable
/// (xen_dt_guest_init, GRANT_TABLE_INDEX 0), else at RAM pages given back to Xen
/// (xen_xlate_map_ballooned_pages). The record says exactly what was done, so
/// <see cref="Unmap"/> undoes exactly that, also after a partial <see cref="Map"/>.
/// </summary>
public readonly struct GrantTablePlacement
{
    /// <summary>The most grant frames the stub maps (256 KiB of table, 32768 entries).</summary>
    public const uint StubMaxGrantFrames = 64;

    public readonly XenFailure QuerySizeFailure;
    public readonly uint NrFrames;
    public readonly uint MaxNrFrames;

    public readonly bool HasRegion0;
    public readonly PhysicalRange Region0;
    /// <summary>Region 0 as read when its end passes 2^64 (verdict EndOverflow): it has no
    /// range, so the report shows these.</summary>
    public readonly ulong DroppedRegion0Start;
    public readonly ulong DroppedRegion0SizeBytes;
    public readonly Region0Verdict Region0Verdict;
    public readonly GrantMethod Method;
    /// <summary>The table: where its frames are, how many, how many are mapped now.</summary>
    public readonly GrantTable Table;
    /// <summary>Region 0 path: the frames were made Normal memory with BeginNormalAccess.</summary>
    public readonly bool Region0AccessBegun;
    /// <summary>Ballooned path: the run of RAM pages was allocated, and how many of its pages
    /// (from the first) are ballooned out now.</summary>
    public readonly bool RunAllocated;
    public readonly uint PagesBallooned;

    private GrantTablePlacement(in GrantTablePlacement query, Region0Verdict verdict, GrantMethod method, GrantTable table,
        bool region0AccessBegun, bool runAllocated, uint pagesBallooned)
    {
        QuerySizeFailure = query.QuerySizeFailure;
        NrFrames = query.NrFrames;
        MaxNrFrames = query.MaxNrFrames;
        HasRegion0 = query.HasRegion0;
        Region0 = query.Region0;
        DroppedRegion0Start = query.DroppedRegion0Start;
        DroppedRegion0SizeBytes = query.DroppedRegion0SizeBytes;
        Region0Verdict = verdict;
        Method = method;
        Table = table;
        Region0AccessBegun = region0AccessBegun;
        RunAllocated = runAllocated;
        PagesBallooned = pagesBallooned;
    }

    private GrantTablePlacement(in XenFailure queryFailure, uint nrFrames, uint maxNrFrames, in AddressSizeList regions)
    {
        this = default;
        QuerySizeFailure = queryFailure;
        NrFrames = nrFrames;
        MaxNrFrames = maxNrFrames;
        // Linux xen_dt_guest_init reads reg entry 0; one whose end passes 2^64 is no region 0.
        HasRegion0 = regions.TryGetRange(0, out Region0) && !Region0.IsEmpty;
        if (regions.EndOverflows(0))
            regions.Get(0, out DroppedRegion0Start, out DroppedRegion0SizeBytes);
    }

    /// <summary>How many frames the stub maps: all of max_nr_frames (so the table never needs to
    /// move), at most <see cref="StubMaxGrantFrames"/>; when query_size fails, Linux's legacy 4.</summary>
    public static uint FramesToMap(uint maxNrFrames, bool queryFailed)
    {
        uint frames = queryFailed ? GrantTable.LegacyMaxFrames : maxNrFrames;
        if (frames == 0)
            frames = 1;
        return frames < StubMaxGrantFrames ? frames : StubMaxGrantFrames;
    }

    /// <summary>Maps the grant table. On a failure the record holds what was done for
    /// <see cref="Unmap"/>, and the failure names the hypercall and errno.</summary>
    public static XenFailure Map<THc, TMem>(ref THc hc, ref TMem mem, ref RamPageAllocator pages, in BootFacts facts,
        in BootOptions options, out GrantTablePlacement placement)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        XenFailure queryFailure = GrantTable.QuerySize(ref hc, out uint nrFrames, out uint maxNrFrames);
        uint frames = FramesToMap(maxNrFrames, queryFailure.IsFailure);
        var query = new GrantTablePlacement(queryFailure, nrFrames, maxNrFrames, facts.Hypervisor.Regions);
        PhysicalRange region0 = query.Region0;

        Region0Verdict verdict = JudgeRegion0(query, frames, facts, options);
        if (verdict == Region0Verdict.Usable)
        {
            PhysicalRange.TryCreate(region0.Start, (ulong)frames << PageSize.Shift, out PhysicalRange used);
            if (!mem.BeginNormalAccess(used))
                verdict = Region0Verdict.Unreachable;
        }
        if (verdict == Region0Verdict.Usable)
        {
            var table = new GrantTable { FirstGfn = region0.Start >> PageSize.Shift, FrameCount = frames };
            XenFailure f = table.MapFrames(ref hc);
            placement = new GrantTablePlacement(query, verdict, GrantMethod.Region0, table, true, false, 0);
            return f;
        }
        return MapBallooned(ref hc, ref pages, query, verdict, frames, out placement);
    }

    /// <summary>Linux xen_xlate_map_ballooned_pages: pages taken from the guest's RAM and given
    /// back to Xen (decrease_reservation), then the grant frames mapped over the holes.</summary>
    private static XenFailure MapBallooned<THc>(ref THc hc, ref RamPageAllocator pages, in GrantTablePlacement query,
        Region0Verdict verdict, uint frames, out GrantTablePlacement placement) where THc : struct, IXenHypercalls
    {
        if (!pages.TryAllocate(frames, out ulong firstGfn))
        {
            placement = new GrantTablePlacement(query, verdict, GrantMethod.Ballooned, default, false, false, 0);
            return XenFailure.Stub(XenFailureCause.OutOfPages);
        }
        var table = new GrantTable { FirstGfn = firstGfn, FrameCount = frames };
        uint ballooned = 0;
        XenFailure f = XenFailure.None;
        while (ballooned < frames && !f.IsFailure)
        {
            f = XenMemory.DecreaseReservation(ref hc, firstGfn + ballooned);
            if (!f.IsFailure)
                ballooned++;
        }
        if (!f.IsFailure)
            f = table.MapFrames(ref hc);
        placement = new GrantTablePlacement(query, verdict, GrantMethod.Ballooned, table, false, true, ballooned);
        return f;
    }

    /// <summary>Region 0 is used when present, page aligned, big enough for the frames, clear of
    /// RAM and reserved ranges and reachable; otherwise the stub falls back to ballooned pages.</summary>
    private static Region0Verdict JudgeRegion0(in GrantTablePlacement query, uint frames, in BootFacts facts, in BootOptions options)
    {
        if (options.ForceBallooned)
            return Region0Verdict.Forced;
        if (!query.HasRegion0)
            return query.DroppedRegion0SizeBytes != 0 ? Region0Verdict.EndOverflow : Region0Verdict.Absent;
        PhysicalRange region0 = query.Region0;
        if (!PageSize.IsAligned(region0.Start) || !PageSize.IsAligned(region0.SizeBytes))
            return Region0Verdict.Misaligned;
        if (region0.SizeBytes >> PageSize.Shift < frames)
            return Region0Verdict.TooSmall;
        for (int i = 0; i < facts.Memory.Count; i++)
            if (facts.Memory[i].Overlaps(region0))
                return Region0Verdict.OverlapsRam;
        for (int i = 0; i < facts.Reserved.Count; i++)
            if (facts.Reserved[i].Overlaps(region0))
                return Region0Verdict.OverlapsReserved;
        return Region0Verdict.Usable;
    }

    /// <summary>Undoes <see cref="Map"/>: region 0 restored to its original memory attributes
    /// first (a cache clean by address on an unmapped frame would fault, so while Xen still maps
    /// the frames), the frames unmapped, ballooned pages repopulated, the run freed. Keeps going
    /// after a failure and returns the first.</summary>
    public XenFailure Unmap<THc, TMem>(ref THc hc, ref TMem mem, ref RamPageAllocator pages)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        if (Region0AccessBegun)
            mem.EndNormalAccess(Table.Range);
        GrantTable table = Table;
        XenFailure first = table.UnmapFrames(ref hc);
        for (uint i = 0; i < PagesBallooned; i++)
            first = first.Or(XenMemory.PopulatePhysmap(ref hc, table.FirstGfn + i));
        if (RunAllocated)
            pages.Free(table.FirstGfn, table.FrameCount);
        return first;
    }
}
