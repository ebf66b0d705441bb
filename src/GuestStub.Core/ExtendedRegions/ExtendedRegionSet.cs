using GuestStub.Memory;

namespace GuestStub.ExtendedRegions;

/// <summary>
/// The extended regions of the hypervisor node (regions 1..N; region 0 is the grant table's)
/// and the target resource built from them: Linux's arch_xen_unpopulated_init
/// (arch/arm/xen/enlighten.c) with the checks the stub adds. Built by
/// <see cref="Register(in AddressSizeList, in OccupiedSpace, PhysicalRange, out ExtendedRegionSet)"/>,
/// or step by step with <see cref="Begin"/>, <see cref="TryAdd"/> and <see cref="Complete"/>
/// (which take raw address/size pairs, so an entry whose end passes 2^64 can be judged too).
/// A plain value of fixed size (about 1.4 KiB): no heap.
///
/// Indexes: <c>index</c> parameters count the extended regions from 0 in node order;
/// <see cref="RegionNumber"/> is the hypervisor-node reg index (index + 1), which is what
/// reports and <see cref="FirstOfPair"/>/<see cref="SecondOfPair"/> use.
/// </summary>
public unsafe partial struct ExtendedRegionSet
{
    /// <summary>Regions 1..31: the hypervisor reg list holds 32 entries with region 0.</summary>
    public const int Capacity = PhysicalRangeList.Capacity - 1;

    private fixed ulong _start[Capacity];
    private fixed ulong _size[Capacity];
    private fixed byte _rejection[Capacity];
    private fixed ulong _conflictStart[Capacity];
    private fixed ulong _conflictSize[Capacity];
    private int _count;

    /// <summary>Ok when <see cref="Resource"/> is a target resource; otherwise the reason there
    /// is none (and the caller falls back to ballooned pages).</summary>
    public ExtendedRegionStatus Status;

    /// <summary>For Disorder and Overlap: the region numbers (1..N) of the offending pair.</summary>
    public int FirstOfPair;
    public int SecondOfPair;

    /// <summary>Region 0, where the grant table goes (empty when the node has none).</summary>
    public PhysicalRange GrantRegion;

    /// <summary>The clamp the resource was cut to.</summary>
    public PhysicalRange Addressable;

    /// <summary>[lowest accepted start, highest accepted end) cut to <see cref="Addressable"/>;
    /// empty unless <see cref="Status"/> is Ok.</summary>
    public PhysicalRange Resource;

    /// <summary>The gaps between consecutive accepted regions, cut to <see cref="Resource"/>,
    /// ascending ("Unavailable space" in Linux). Gaps wholly outside the resource are skipped,
    /// as in the patch review's worked example.</summary>
    public PhysicalRangeList Holes;

    public readonly bool HasResource => Status == ExtendedRegionStatus.Ok;

    /// <summary>Number of extended regions read (accepted or not).</summary>
    public readonly int RegionCount => _count;

    /// <summary>The hypervisor-node reg index of extended region <paramref name="index"/>.</summary>
    public static int RegionNumber(int index) => index + 1;

    /// <summary>Region <paramref name="index"/> as found: start and size (its end may pass
    /// 2^64, see <see cref="RegionRejection.EndOverflow"/>). Zeros when out of bounds.</summary>
    public readonly void GetRegion(int index, out ulong start, out ulong sizeBytes)
    {
        if ((uint)index >= (uint)_count)
        {
            start = sizeBytes = 0;
            return;
        }
        start = _start[index];
        sizeBytes = _size[index];
    }

    public readonly RegionRejection Rejection(int index) =>
        (uint)index < (uint)_count ? (RegionRejection)_rejection[index] : RegionRejection.None;

    /// <summary>For an Overlaps* rejection, the occupied range the region overlaps.</summary>
    public readonly PhysicalRange Conflict(int index)
    {
        if ((uint)index >= (uint)_count)
            return default;
        PhysicalRange.TryCreate(_conflictStart[index], _conflictSize[index], out PhysicalRange range);
        return range;
    }

    /// <summary>True when region <paramref name="index"/> is part of the target resource's
    /// candidates (well formed, in order, overlapping nothing occupied).</summary>
    public readonly bool IsAccepted(int index) =>
        (uint)index < (uint)_count && _rejection[index] == (byte)RegionRejection.None;

    /// <summary>True when the whole of <paramref name="range"/> may hold scratch pages: inside
    /// the resource and clear of every hole.</summary>
    public readonly bool IsUsable(PhysicalRange range)
    {
        if (!HasResource || range.IsEmpty || !Resource.Covers(range))
            return false;
        for (int i = 0; i < Holes.Count; i++)
        {
            if (Holes[i].Overlaps(range))
                return false;
        }
        return true;
    }
}
