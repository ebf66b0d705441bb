using System;
using GuestStub.Memory;
using GuestStub.Platform;

namespace GuestStub.ExtendedRegions;

// Registration: validate the regions, the set, the overlaps with occupied space; build the
// resource and its holes.
public unsafe partial struct ExtendedRegionSet
{
    /// <summary>
    /// The boot's registration: the hypervisor node's regions of <paramref name="facts"/>
    /// against everything the boot occupies (RAM, reserved ranges, and the DTB and the image where
    /// <paramref name="env"/> places them), clamped to <paramref name="env"/>'s addressable range.
    /// The boot pipeline, the simulation and the host tool's map all register this way.
    /// </summary>
    public static ExtendedRegionStatus Register(in BootFacts facts, in BootEnvironment env, out ExtendedRegionSet set)
    {
        var occupied = new OccupiedSpace { Ram = facts.Memory, Reserved = facts.Reserved, Dtb = env.Dtb, Image = env.Image };
        return Register(facts.Hypervisor.Regions, occupied, env.Addressable, out set);
    }

    /// <summary>
    /// Registers regions 1..N of <paramref name="hypervisorRegions"/> (BootFacts.Hypervisor.Regions,
    /// raw pairs: index 0 is region 0, the grant table's) against <paramref name="occupied"/>,
    /// clamped to <paramref name="addressable"/>. A region whose end passes 2^64 is rejected on
    /// its own (<see cref="RegionRejection.EndOverflow"/>), as Linux drops it; a region 0 whose
    /// end does is no region 0. Returns <see cref="Status"/>; the set is filled either way so the
    /// report can show what was found and why it was refused.
    /// </summary>
    public static ExtendedRegionStatus Register(in AddressSizeList hypervisorRegions, in OccupiedSpace occupied,
        PhysicalRange addressable, out ExtendedRegionSet set)
    {
        // Filled where it lies: the set is 1.4 KiB, and a copy costs the guest's image code.
        set = default;
        hypervisorRegions.TryGetRange(0, out set.GrantRegion);
        set.Addressable = addressable;
        for (int i = 1; i < hypervisorRegions.Count; i++)
        {
            hypervisorRegions.Get(i, out ulong start, out ulong sizeBytes);
            set.TryAdd(start, sizeBytes);
        }
        return set.Complete(occupied);
    }

    /// <summary>As <see cref="Register(in AddressSizeList, in OccupiedSpace, PhysicalRange, out ExtendedRegionSet)"/>
    /// for regions that all have a range (a list built by hand: tests, benchmarks).</summary>
    public static ExtendedRegionStatus Register(in PhysicalRangeList hypervisorRegions, in OccupiedSpace occupied,
        PhysicalRange addressable, out ExtendedRegionSet set) =>
        Register(AddressSizeList.From(hypervisorRegions), occupied, addressable, out set);

    /// <summary>An empty set for the given region 0 and clamp; add regions with <see cref="TryAdd"/>.</summary>
    public static ExtendedRegionSet Begin(PhysicalRange grantRegion, PhysicalRange addressable)
    {
        ExtendedRegionSet set = default;
        set.GrantRegion = grantRegion;
        set.Addressable = addressable;
        return set;
    }

    /// <summary>Appends the next extended region as read from the tree (any values). False
    /// when the set is full; <see cref="Complete"/> then reports TooManyRegions.</summary>
    public bool TryAdd(ulong start, ulong sizeBytes)
    {
        if (_count == Capacity)
        {
            Status = ExtendedRegionStatus.TooManyRegions;
            return false;
        }
        _start[_count] = start;
        _size[_count] = sizeBytes;
        _count++;
        return true;
    }

    /// <summary>
    /// Judges the regions added so far and builds the resource. Order of checks:
    /// 1. each region's shape (size, end, alignment): a bad one is rejected on its own;
    /// 2. the set, over the regions that have a range: ascending and non-overlapping, or the
    ///    whole set is refused (Linux does the same, and a tree that breaks guest.txt's
    ///    ordering cannot be trusted in any part);
    /// 3. each remaining region against region 0, the DTB, the image, RAM and reserved ranges
    ///    (in that order, so the most specific cause is named): an overlapping region is dropped
    ///    on its own. Why not the whole set: the overlap is Xen 4.17's known fault with a single
    ///    region (its later fixes changed single regions, not the layout), the other regions stay
    ///    valid safe space, and a dropped region simply becomes part of a hole, so nothing it
    ///    covered can ever be handed out. Refusing the set would instead push every mapping
    ///    into ballooned RAM, which the extended regions exist to avoid;
    /// 4. the resource [first accepted start, last accepted end) cut to the clamp, and the
    ///    gaps between consecutive accepted regions cut to the resource.
    /// </summary>
    public ExtendedRegionStatus Complete(in OccupiedSpace occupied)
    {
        Holes.Clear();
        Resource = default;
        FirstOfPair = SecondOfPair = 0;
        if (Status == ExtendedRegionStatus.TooManyRegions)
            return Status;
        if (_count == 0)
            return Status = ExtendedRegionStatus.NoRegions;

        for (int i = 0; i < _count; i++)
            _rejection[i] = (byte)CheckShape(_start[i], _size[i]);

        if (!CheckOrder())
            return Status;

        bool anyAccepted = false;
        for (int i = 0; i < _count; i++)
        {
            if (_rejection[i] != (byte)RegionRejection.None)
                continue;
            PhysicalRange.TryCreate(_start[i], _size[i], out PhysicalRange region);
            RegionRejection why = FindConflict(region, occupied, out PhysicalRange conflict);
            _rejection[i] = (byte)why;
            _conflictStart[i] = conflict.Start;
            _conflictSize[i] = conflict.SizeBytes;
            anyAccepted |= why == RegionRejection.None;
        }
        if (!anyAccepted)
            return Status = ExtendedRegionStatus.AllRejected;

        BuildResource();
        return Status;
    }

    private static RegionRejection CheckShape(ulong start, ulong sizeBytes)
    {
        if (sizeBytes == 0)
            return RegionRejection.ZeroSize;
        if (!PhysicalRange.TryCreate(start, sizeBytes, out _))
            return RegionRejection.EndOverflow;
        if (!PageSize.IsAligned(start | sizeBytes))
            return RegionRejection.Misaligned;
        return RegionRejection.None;
    }

    /// <summary>Regions without a range (zero size, end overflow) take no part in the order
    /// check; misaligned ones do, since they still say where Xen thinks space is.</summary>
    private static bool HasRange(RegionRejection shape) =>
        shape != RegionRejection.ZeroSize && shape != RegionRejection.EndOverflow;

    /// <summary>Linux: regs[i - 1].end + 1 &gt; regs[i].start rejects the set. Half-open, that is
    /// previous.End &gt; current.Start; split here into disorder and overlap for the message.</summary>
    private bool CheckOrder()
    {
        int previous = -1;
        for (int i = 0; i < _count; i++)
        {
            if (!HasRange((RegionRejection)_rejection[i]))
                continue;
            if (previous >= 0)
            {
                ulong previousEnd = _start[previous] + _size[previous];
                if (_start[i] < _start[previous] || _start[i] < previousEnd)
                {
                    Status = _start[i] < _start[previous] ? ExtendedRegionStatus.Disorder : ExtendedRegionStatus.Overlap;
                    FirstOfPair = RegionNumber(previous);
                    SecondOfPair = RegionNumber(i);
                    return false;
                }
            }
            previous = i;
        }
        return true;
    }

    private RegionRejection FindConflict(PhysicalRange region, in OccupiedSpace occupied, out PhysicalRange conflict)
    {
        conflict = default;
        if (Hits(region, GrantRegion, ref conflict))
            return RegionRejection.OverlapsGrantTable;
        if (Hits(region, occupied.Dtb, ref conflict))
            return RegionRejection.OverlapsDtb;
        if (Hits(region, occupied.Image, ref conflict))
            return RegionRejection.OverlapsImage;
        for (int i = 0; i < occupied.Ram.Count; i++)
        {
            if (Hits(region, occupied.Ram[i], ref conflict))
                return RegionRejection.OverlapsRam;
        }
        for (int i = 0; i < occupied.Reserved.Count; i++)
        {
            if (Hits(region, occupied.Reserved[i], ref conflict))
                return RegionRejection.OverlapsReserved;
        }
        return RegionRejection.None;
    }

    private static bool Hits(PhysicalRange region, PhysicalRange occupied, ref PhysicalRange conflict)
    {
        if (!region.Overlaps(occupied))
            return false;
        conflict = occupied;
        return true;
    }

    /// <summary>The accepted regions are ascending and disjoint (CheckOrder), so the first and
    /// last give the bounds; holes are cut to the resource and skipped when nothing is left
    /// (the two gaps below 0x40000000 in the worked example).</summary>
    private void BuildResource()
    {
        int first = -1, last = -1;
        for (int i = 0; i < _count; i++)
        {
            if (!IsAccepted(i))
                continue;
            if (first < 0)
                first = i;
            last = i;
        }
        ulong low = Math.Max(_start[first], Addressable.Start);
        ulong high = Math.Min(_start[last] + _size[last], Addressable.End);
        if (Addressable.IsEmpty || low >= high)
        {
            Status = ExtendedRegionStatus.OutsideAddressable;
            return;
        }
        PhysicalRange.TryFromBounds(low, high, out Resource);

        int previous = first;
        for (int i = first + 1; i <= last; i++)
        {
            if (!IsAccepted(i))
                continue;
            ulong gapStart = Math.Max(_start[previous] + _size[previous], Resource.Start);
            ulong gapEnd = Math.Min(_start[i], Resource.End);
            if (gapStart < gapEnd)
            {
                PhysicalRange.TryFromBounds(gapStart, gapEnd, out PhysicalRange hole);
                Holes.TryAdd(hole);
            }
            previous = i;
        }
        Status = ExtendedRegionStatus.Ok;
    }
}
