using GuestStub.Memory;
using GuestStub.Xen;

namespace GuestStub.Boot;

/// <summary>
/// The stub's Xen initialisation and its teardown, in Linux's order (arch/arm/xen/enlighten.c
/// xen_guest_init, drivers/xen/grant-table.c gnttab_init): version and features, shared_info,
/// grant table size, grant frames at region 0 or at ballooned pages. Everything it does is
/// recorded here so <see cref="Teardown"/> can undo exactly that, leaving Xen's books as they
/// were at boot: a later stage (or a second <see cref="Init"/>) starts clean.
/// </summary>
public struct XenSetup
{
    /// <summary>The most grant frames the stub maps (256 KiB of table, 32768 entries).</summary>
    public const uint StubMaxGrantFrames = 64;

    public uint VersionMajor;
    public uint VersionMinor;
    public bool HasFeatures;
    public uint Features;
    public bool IsDom0;
    public bool HasDomid;
    public ushort Domid;

    // shared_info: the RAM page allocated, whether it was ballooned out, whether Xen maps it.
    public ulong SharedInfoGfn;
    public bool SharedInfoAllocated;
    public bool SharedInfoBallooned;
    public bool SharedInfoMapped;

    public XenFailure QuerySizeFailure;
    public uint NrFrames;
    public uint MaxNrFrames;

    public bool HasRegion0;
    public PhysicalRange Region0;
    /// <summary>Region 0 as read when its end passes 2^64 (verdict EndOverflow): it has no
    /// range, so the report shows these.</summary>
    public ulong DroppedRegion0Start;
    public ulong DroppedRegion0SizeBytes;
    public Region0Verdict Region0Verdict;
    public GrantMethod Method;
    public GrantTable Grants;
    /// <summary>Region 0 path: the frames were made Normal memory with BeginNormalAccess.</summary>
    public bool Region0AccessBegun;
    /// <summary>Ballooned path: the run was allocated, and how many of its pages (from the
    /// first) are ballooned out now.</summary>
    public bool GrantRunAllocated;
    public uint GrantPagesBallooned;

    /// <summary>When <see cref="Init"/> failed: the first failure of undoing what it had done
    /// (None when everything was given back), so a leak is reported as teardown's.</summary>
    public XenFailure UndoFailure;

    /// <summary>How many frames the stub maps: all of max_nr_frames (so the table never needs to
    /// move), at most <see cref="StubMaxGrantFrames"/>; when query_size fails, Linux's legacy 4.</summary>
    public static uint FramesToMap(uint maxNrFrames, bool queryFailed)
    {
        uint frames = queryFailed ? GrantTable.LegacyMaxFrames : maxNrFrames;
        if (frames == 0)
            frames = 1;
        return frames < StubMaxGrantFrames ? frames : StubMaxGrantFrames;
    }

    /// <summary>
    /// Sets Xen up for the stub. On failure everything done so far is undone before returning
    /// (Linux stops there too: a failed shared_info mapping is a BUG(), a failed grant mapping
    /// fails gnttab_init), and the failure names the hypercall and errno; a failure of that undo
    /// is kept in <see cref="UndoFailure"/>.
    /// </summary>
    public XenFailure Init<THv>(ref THv hv, ref RamPageAllocator pages, in PhysicalRangeList ram, in PhysicalRangeList reserved,
        in AddressSizeList hypervisorRegions, XenBootOptions options) where THv : struct, IXenHypervisor
    {
        this = default;
        XenFailure f = XenVersion.Query(ref hv, out VersionMajor, out VersionMinor);
        if (f.IsFailure)
            return f;

        // Linux xen_setup_features: a failing get_features leaves the features zero.
        HasFeatures = !XenVersion.GetFeatures(ref hv, out Features).IsFailure;
        IsDom0 = HasFeatures && XenVersion.Has(Features, XenVersion.FeatureDom0);
        if (options.HasDomid)
        {
            HasDomid = true;
            Domid = options.Domid;
        }
        else if (IsDom0)
        {
            HasDomid = true;
            Domid = 0;
        }

        f = MapSharedInfo(ref hv, ref pages);
        if (!f.IsFailure)
            f = MapGrantTable(ref hv, ref pages, ram, reserved, hypervisorRegions, options);
        if (f.IsFailure)
            UndoFailure = Teardown(ref hv, ref pages);
        return f;
    }

    /// <summary>Linux gnttab_init: the frame count, then region 0 if usable, else ballooned pages.</summary>
    private XenFailure MapGrantTable<THv>(ref THv hv, ref RamPageAllocator pages, in PhysicalRangeList ram,
        in PhysicalRangeList reserved, in AddressSizeList hypervisorRegions, XenBootOptions options)
        where THv : struct, IXenHypervisor
    {
        // Linux gnttab_max_grant_frames: query_size, or 4 frames when it fails.
        QuerySizeFailure = GrantTable.QuerySize(ref hv, out NrFrames, out MaxNrFrames);
        uint frames = FramesToMap(MaxNrFrames, QuerySizeFailure.IsFailure);

        // Linux xen_dt_guest_init reads reg entry 0; one whose end passes 2^64 is no region 0.
        HasRegion0 = hypervisorRegions.TryGetRange(0, out Region0) && !Region0.IsEmpty;
        if (hypervisorRegions.EndOverflows(0))
            hypervisorRegions.Get(0, out DroppedRegion0Start, out DroppedRegion0SizeBytes);
        Region0Verdict = JudgeRegion0(ref hv, frames, ram, reserved, options);
        if (Region0Verdict == Region0Verdict.Usable)
        {
            PhysicalRange.TryCreate(Region0.Start, (ulong)frames << XenPage.Shift, out PhysicalRange used);
            if (hv.BeginNormalAccess(used))
                Region0AccessBegun = true;
            else
                Region0Verdict = Region0Verdict.Unreachable;
        }
        return Region0Verdict == Region0Verdict.Usable
            ? MapAtRegion0(ref hv, frames)
            : MapBallooned(ref hv, ref pages, frames);
    }

    /// <summary>Undoes <see cref="Init"/>: grant frames unmapped (region 0 restored to its
    /// original memory attributes first), ballooned pages repopulated, shared_info unmapped and
    /// its page repopulated, every page returned to the allocator. Keeps going after a failure
    /// and returns the first. Undoes only what is recorded as done, so it also undoes a partial
    /// <see cref="Init"/>, and a second call does nothing.</summary>
    public XenFailure Teardown<THv>(ref THv hv, ref RamPageAllocator pages) where THv : struct, IXenHypervisor
    {
        XenFailure first = UndoGrantTable(ref hv, ref pages);
        XenFailure f = UndoSharedInfo(ref hv, ref pages);
        return first.IsFailure ? first : f;
    }

    /// <summary>shared_info goes at a RAM page the stub owns. Unlike Linux (which leaves the
    /// RAM page behind the mapping stranded), the page is ballooned out first so teardown can
    /// repopulate it and the guest's memory is whole again.</summary>
    private XenFailure MapSharedInfo<THv>(ref THv hv, ref RamPageAllocator pages) where THv : struct, IXenHypervisor
    {
        if (!pages.TryAllocate(1, out SharedInfoGfn))
            return XenFailure.Stub(XenFailureCause.OutOfPages);
        SharedInfoAllocated = true;
        XenFailure f = XenMemory.DecreaseReservation(ref hv, SharedInfoGfn);
        if (f.IsFailure)
            return f;
        SharedInfoBallooned = true;
        f = SharedInfo.Map(ref hv, SharedInfoGfn);
        if (f.IsFailure)
            return f;
        SharedInfoMapped = true;
        return XenFailure.None;
    }

    private XenFailure UndoSharedInfo<THv>(ref THv hv, ref RamPageAllocator pages) where THv : struct, IXenHypervisor
    {
        XenFailure first = XenFailure.None;
        if (SharedInfoMapped)
        {
            first = SharedInfo.Unmap(ref hv, SharedInfoGfn);
            SharedInfoMapped = false;
        }
        if (SharedInfoBallooned)
        {
            XenFailure f = XenMemory.PopulatePhysmap(ref hv, SharedInfoGfn);
            if (!first.IsFailure)
                first = f;
            SharedInfoBallooned = false;
        }
        if (SharedInfoAllocated)
        {
            pages.Free(SharedInfoGfn, 1);
            SharedInfoAllocated = false;
        }
        return first;
    }

    /// <summary>Region 0 is used when present, page aligned, big enough for the frames, clear of
    /// RAM and reserved ranges and reachable; otherwise the stub falls back to ballooned pages.</summary>
    private readonly Region0Verdict JudgeRegion0<THv>(ref THv hv, uint frames, in PhysicalRangeList ram, in PhysicalRangeList reserved,
        XenBootOptions options) where THv : struct, IXenHypervisor
    {
        if (options.ForceBallooned)
            return Region0Verdict.Forced;
        if (!HasRegion0)
            return DroppedRegion0SizeBytes != 0 ? Region0Verdict.EndOverflow : Region0Verdict.Absent;
        if ((Region0.Start & XenPage.OffsetMask) != 0 || (Region0.SizeBytes & XenPage.OffsetMask) != 0)
            return Region0Verdict.Misaligned;
        if (Region0.SizeBytes >> XenPage.Shift < frames)
            return Region0Verdict.TooSmall;
        for (int i = 0; i < ram.Count; i++)
            if (ram[i].Overlaps(Region0))
                return Region0Verdict.OverlapsRam;
        for (int i = 0; i < reserved.Count; i++)
            if (reserved[i].Overlaps(Region0))
                return Region0Verdict.OverlapsReserved;
        return Region0Verdict.Usable;
    }

    private XenFailure MapAtRegion0<THv>(ref THv hv, uint frames) where THv : struct, IXenHypervisor
    {
        Method = GrantMethod.Region0;
        Grants = new GrantTable { FirstGfn = Region0.Start >> XenPage.Shift, FrameCount = frames };
        return Grants.MapFrames(ref hv);
    }

    /// <summary>Linux xen_xlate_map_ballooned_pages: pages taken from the guest's RAM and given
    /// back to Xen (decrease_reservation), then the grant frames mapped over the holes.</summary>
    private XenFailure MapBallooned<THv>(ref THv hv, ref RamPageAllocator pages, uint frames) where THv : struct, IXenHypervisor
    {
        Method = GrantMethod.Ballooned;
        if (!pages.TryAllocate(frames, out ulong firstGfn))
            return XenFailure.Stub(XenFailureCause.OutOfPages);
        GrantRunAllocated = true;
        Grants = new GrantTable { FirstGfn = firstGfn, FrameCount = frames };
        for (uint i = 0; i < frames; i++)
        {
            XenFailure f = XenMemory.DecreaseReservation(ref hv, firstGfn + i);
            if (f.IsFailure)
                return f;
            GrantPagesBallooned++;
        }
        return Grants.MapFrames(ref hv);
    }

    private XenFailure UndoGrantTable<THv>(ref THv hv, ref RamPageAllocator pages) where THv : struct, IXenHypervisor
    {
        // Region 0: clean the caches and restore Device attributes while Xen still maps the
        // frames (a cache maintenance by address on an unmapped frame would fault).
        if (Region0AccessBegun)
        {
            hv.EndNormalAccess(Grants.Range);
            Region0AccessBegun = false;
        }
        XenFailure first = Grants.UnmapFrames(ref hv);
        for (uint i = 0; i < GrantPagesBallooned; i++)
        {
            XenFailure f = XenMemory.PopulatePhysmap(ref hv, Grants.FirstGfn + i);
            if (!first.IsFailure)
                first = f;
        }
        GrantPagesBallooned = 0;
        if (GrantRunAllocated)
        {
            pages.Free(Grants.FirstGfn, Grants.FrameCount);
            GrantRunAllocated = false;
        }
        return first;
    }
}
