using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.ExtendedRegions;

/// <summary>
/// The extended regions held to Xen's own rules and to the domain's tree (issue 22), each rule
/// as the first region that breaks it (its number, 1..N as in the hypervisor node's reg; 0 when
/// none does) and how many do:
/// <list type="bullet">
/// <item>alignment: start and size multiples of 2 MiB (domain_build.c, add_ext_regions: "Both
/// start and size of the extended region should be 2MB aligned to potentially allow superpage
/// mapping");</item>
/// <item>size: at least 64 MiB (add_ext_regions drops anything smaller, EXT_REGION_MIN_SIZE;
/// find_domU_holes the same);</item>
/// <item>disjoint: clear of everything <see cref="GuestPhysicalSpace"/> walks (RAM, every
/// node's reg, PCI apertures, region 0, static shared memory, the stub's Xen pages).</item>
/// </list>
/// And, for information, the guest-physical space within the stub's addressable range that
/// nothing occupies and Xen did not advertise (<see cref="Unadvertised"/>). A value of fixed
/// size (no heap); a ref struct because <see cref="OverlappedNode"/> is a span into the tree.
/// </summary>
public ref struct RegionConformance
{
    public const ulong Alignment = 2UL << 20;
    public const ulong MinimumSize = 64UL << 20;

    /// <summary>Regions judged (0: the node has none, nothing was judged).</summary>
    public int Regions;

    public int MisalignedRegion;
    public int MisalignedCount;
    public int SmallRegion;
    public int SmallCount;
    public int OverlappingRegion;
    public int OverlappingCount;
    /// <summary>Bit i: region number i + 1 overlaps an occupant (the page probe keeps off it).</summary>
    public uint OverlapMask;
    /// <summary>For <see cref="OverlappingRegion"/>: what it overlaps, where, and the node that
    /// says so (its name; empty when no node does).</summary>
    public Occupant Overlapped;
    public PhysicalRange OverlappedRange;
    public ReadOnlySpan<byte> OverlappedNode;

    /// <summary>The free space, ascending, as far as the list holds; <see cref="UnadvertisedMore"/>
    /// ranges more did not fit.</summary>
    public PhysicalRangeList Unadvertised;
    public int UnadvertisedMore;
    public ulong UnadvertisedBytes;
    /// <summary>Of <see cref="UnadvertisedBytes"/>, what add_ext_regions would keep: each free
    /// range cut to 2 MiB boundaries, when 64 MiB or more remain.</summary>
    public ulong AdmissibleBytes;

    /// <summary>True when region <paramref name="index"/> (from 0) overlaps an occupant.</summary>
    public readonly bool Overlaps(int index) => (uint)index < 32 && (OverlapMask & (1u << index)) != 0;

    /// <summary>Judges the regions of <paramref name="set"/> (every one found, accepted by
    /// registration or not) against <paramref name="tree"/> and <paramref name="boot"/>, and
    /// measures the free space within <see cref="ExtendedRegionSet.Addressable"/>.</summary>
    public static void Judge(scoped in Dtb tree, scoped in ExtendedRegionSet set, scoped in BootOccupants boot, out RegionConformance rules)
    {
        rules = default;
        rules.Regions = set.RegionCount;
        for (int i = 0; i < set.RegionCount; i++)
        {
            set.GetRegion(i, out ulong start, out ulong size);
            int number = ExtendedRegionSet.RegionNumber(i);
            if (((start | size) & (Alignment - 1)) != 0 && rules.MisalignedCount++ == 0)
                rules.MisalignedRegion = number;
            if (size < MinimumSize && rules.SmallCount++ == 0)
                rules.SmallRegion = number;
            if (!PhysicalRange.TryCreate(start, size, out PhysicalRange region) || region.IsEmpty)
                continue;
            var finder = new OccupantScan { Region = region };
            GuestPhysicalSpace.Walk(tree, boot, ref finder);
            if (finder.Found == Occupant.None)
                continue;
            rules.OverlapMask |= 1u << i;
            if (rules.OverlappingCount++ != 0)
                continue;
            rules.OverlappingRegion = number;
            rules.Overlapped = finder.Found;
            rules.OverlappedRange = finder.FoundPages;
            if (finder.FoundNode >= 0)
                rules.OverlappedNode = tree.NameOf(new DtNode(finder.FoundNode));
        }
        rules.MeasureUnadvertised(tree, set, boot);
    }

    /// <summary>A sweep up the addressable range: at each point, either something occupies it
    /// (skip to the end of what does) or nothing does up to the next occupant's start (free).
    /// Each step is one walk of the tree; the point only moves up, so it ends after at most two
    /// steps per occupant.</summary>
    private void MeasureUnadvertised(scoped in Dtb tree, in ExtendedRegionSet set, in BootOccupants boot)
    {
        PhysicalRange clamp = set.Addressable;
        ulong cursor = clamp.Start;
        while (cursor < clamp.End)
        {
            var sweep = new OccupantScan { Cursor = cursor, CoverEnd = cursor, NextStart = clamp.End };
            GuestPhysicalSpace.Walk(tree, boot, ref sweep);
            for (int i = 0; i < set.RegionCount; i++)
            {
                set.GetRegion(i, out ulong start, out ulong size);
                if (PhysicalRange.TryCreate(start, size, out PhysicalRange region))
                    sweep.Occupied(region, Occupant.ExtendedRegion, -1);
            }
            if (sweep.CoverEnd > cursor)
            {
                cursor = sweep.CoverEnd;
                continue;
            }
            PhysicalRange.TryFromBounds(cursor, sweep.NextStart, out PhysicalRange free);
            UnadvertisedBytes += free.SizeBytes;
            ulong low = (free.Start + (Alignment - 1)) & ~(Alignment - 1);
            ulong high = free.End & ~(Alignment - 1);
            if (low >= free.Start && high > low && high - low >= MinimumSize)
                AdmissibleBytes += high - low;
            if (!Unadvertised.TryAdd(free))
                UnadvertisedMore++;
            cursor = sweep.NextStart;
        }
    }
}
