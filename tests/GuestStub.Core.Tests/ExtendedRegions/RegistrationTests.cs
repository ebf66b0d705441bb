using System;
using GuestStub.Report;
using GuestStub.Platform;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Tests.TestSupport;
using Xunit;
using static GuestStub.Tests.ExtendedRegions.Ranges;

namespace GuestStub.Tests.ExtendedRegions;

public class RegistrationTests
{
    /// <summary>The regions of the patch review's worked example (shared/PLATFORM.md), after a
    /// region 0 placed in a gap so it overlaps none of them.</summary>
    private static readonly PhysicalRange[] WorkedExample =
    {
        R(0x38000000, 0x39000000),
        R(0x0, 0x8000000), R(0xc000000, 0x30000000), R(0x40000000, 0x47e00000),
        R(0xd0000000, 0xe6000000), R(0xe7800000, 0xec000000), R(0xf1200000, 0xfd000000),
        R(0x100000000, 0x500000000), R(0x580000000, 0x600000000), R(0x680000000, 0x700000000),
        R(0x780000000, 0x10000000000),
    };

    /// <summary>Linux's mhp range for a 48-bit VA with RAM from 0x40000000: 0x40000000 - 0x80003fffffff.</summary>
    private static readonly PhysicalRange Va48 = R(0x40000000, 0x800040000000);

    private static ExtendedRegionSet Register(PhysicalRange[] hypervisor, PhysicalRange addressable, OccupiedSpace occupied = default)
    {
        PhysicalRangeList regions = List(hypervisor);
        ExtendedRegionSet.Register(regions, occupied, addressable, out ExtendedRegionSet set);
        return set;
    }

    private static string Report(ref ExtendedRegionSet set)
    {
        var sink = new ReportSink();
        ExtendedRegionReport.Lines(ref sink, set);
        return sink.ToString();
    }

    [Fact]
    public void Worked_example_gives_exactly_the_holes_of_the_review()
    {
        ExtendedRegionSet set = Register(WorkedExample, Va48);
        Assert.Equal(ExtendedRegionStatus.Ok, set.Status);
        Assert.Equal(R(0x40000000, 0x10000000000), set.Resource);
        // PLATFORM.md lists them inclusive, as /proc/iomem: [47e00000-cfffffff] ... Half-open here.
        Assert.Equal(new[]
        {
            (0x47e00000UL, 0xd0000000UL), (0xe6000000UL, 0xe7800000UL), (0xec000000UL, 0xf1200000UL),
            (0xfd000000UL, 0x100000000UL), (0x500000000UL, 0x580000000UL), (0x600000000UL, 0x680000000UL),
            (0x700000000UL, 0x780000000UL),
        }, Bounds(set.Holes));
        for (int i = 0; i < set.RegionCount; i++)
            Assert.Equal(RegionRejection.None, set.Rejection(i));
    }

    [Fact]
    public void Worked_example_report_lines()
    {
        ExtendedRegionSet set = Register(WorkedExample, Va48);
        Assert.Equal(
            "report ext.region 0x0-0x8000000\n" +
            "report ext.region 0xc000000-0x30000000\n" +
            "report ext.region 0x40000000-0x47e00000\n" +
            "report ext.region 0xd0000000-0xe6000000\n" +
            "report ext.region 0xe7800000-0xec000000\n" +
            "report ext.region 0xf1200000-0xfd000000\n" +
            "report ext.region 0x100000000-0x500000000\n" +
            "report ext.region 0x580000000-0x600000000\n" +
            "report ext.region 0x680000000-0x700000000\n" +
            "report ext.region 0x780000000-0x10000000000\n" +
            "report ext.clamp 0x40000000-0x800040000000\n" +
            "report ext.resource 0x40000000-0x10000000000\n" +
            "report ext.hole 0x47e00000-0xd0000000\n" +
            "report ext.hole 0xe6000000-0xe7800000\n" +
            "report ext.hole 0xec000000-0xf1200000\n" +
            "report ext.hole 0xfd000000-0x100000000\n" +
            "report ext.hole 0x500000000-0x580000000\n" +
            "report ext.hole 0x600000000-0x680000000\n" +
            "report ext.hole 0x700000000-0x780000000\n",
            Report(ref set));
    }

    [Fact]
    public void Without_a_lower_clamp_the_two_low_gaps_are_holes_too()
    {
        ExtendedRegionSet set = Register(WorkedExample, AddressableRange.BelowLimit(1UL << 48));
        Assert.Equal(R(0x0, 0x10000000000), set.Resource);
        Assert.Equal(9, set.Holes.Count);
        Assert.Equal((0x8000000UL, 0xc000000UL), Bounds(set.Holes)[0]);
        Assert.Equal((0x30000000UL, 0x40000000UL), Bounds(set.Holes)[1]);
    }

    [Fact]
    public void Dom0less_domU_1_TiB_region_is_clamped_to_the_512_GiB_identity_map()
    {
        ExtendedRegionSet set = Register(
            new[] { R(0x38000000, 0x39000000), R(0x48000000, 0x100000000), R(0x200000000, 0x10000000000) },
            AddressableRange.ForGuest(5)); // PARange 5 = 48 bits, cut to 39
        Assert.Equal(ExtendedRegionStatus.Ok, set.Status);
        Assert.Equal(R(0x48000000, 0x8000000000), set.Resource);
        Assert.Equal(new[] { (0x100000000UL, 0x200000000UL) }, Bounds(set.Holes));
        Assert.Contains("report ext.clamp 0x0-0x8000000000\n", Report(ref set));
    }

    [Theory]
    [InlineData(0u, 32)]
    [InlineData(1u, 36)]
    [InlineData(2u, 39)]
    [InlineData(5u, 39)]
    [InlineData(6u, 39)]
    [InlineData(0xfu, 32)]
    public void Addressable_range_from_PARange(uint parange, int bits)
    {
        Assert.Equal(AddressableRange.BelowLimit(1UL << bits), AddressableRange.ForGuest(0x1120 | (ulong)parange));
    }

    [Fact]
    public void Clamp_below_every_region_leaves_no_resource()
    {
        ExtendedRegionSet set = Register(new[] { R(0x38000000, 0x39000000), R(0x100000000, 0x200000000) }, AddressableRange.BelowLimit(1UL << 32));
        Assert.Equal(ExtendedRegionStatus.OutsideAddressable, set.Status);
        Assert.False(set.HasResource);
        Assert.Contains("report ext.resource none outside-clamp\n", Report(ref set));
    }

    [Fact]
    public void Overlapping_pair_rejects_the_set_and_names_the_pair()
    {
        ExtendedRegionSet set = Register(
            new[] { R(0x38000000, 0x39000000), R(0x40000000, 0x50000000), R(0x60000000, 0x70000000), R(0x6fe00000, 0x80000000) },
            AddressableRange.BelowLimit(1UL << 39));
        Assert.Equal(ExtendedRegionStatus.Overlap, set.Status);
        Assert.Equal((2, 3), (set.FirstOfPair, set.SecondOfPair));
        Assert.True(set.Resource.IsEmpty);
        Assert.Equal(0, set.Holes.Count);
        Assert.Contains("report ext.resource none overlap 2 3\n", Report(ref set));
    }

    [Fact]
    public void Descending_pair_rejects_the_set_as_disorder()
    {
        ExtendedRegionSet set = Register(
            new[] { R(0x38000000, 0x39000000), R(0x60000000, 0x70000000), R(0x40000000, 0x50000000) },
            AddressableRange.BelowLimit(1UL << 39));
        Assert.Equal(ExtendedRegionStatus.Disorder, set.Status);
        Assert.Equal((1, 2), (set.FirstOfPair, set.SecondOfPair));
        Assert.Contains("report ext.resource none disorder 1 2\n", Report(ref set));
    }

    [Fact]
    public void Touching_regions_are_in_order_and_leave_no_hole()
    {
        ExtendedRegionSet set = Register(
            new[] { R(0x38000000, 0x39000000), R(0x40000000, 0x50000000), R(0x50000000, 0x60000000) },
            AddressableRange.BelowLimit(1UL << 39));
        Assert.Equal(ExtendedRegionStatus.Ok, set.Status);
        Assert.Equal(R(0x40000000, 0x60000000), set.Resource);
        Assert.Equal(0, set.Holes.Count);
    }

    [Fact]
    public void Malformed_regions_are_dropped_one_by_one()
    {
        ExtendedRegionSet set = ExtendedRegionSet.Begin(R(0x38000000, 0x39000000), AddressableRange.BelowLimit(1UL << 39));
        Assert.True(set.TryAdd(0x40000000, 0x10000000));
        Assert.True(set.TryAdd(0x50000000, 0));                       // zero size
        Assert.True(set.TryAdd(0x60000800, 0x1000000));                // misaligned start
        Assert.True(set.TryAdd(0x70000000, 0x1000800));                // misaligned size
        Assert.True(set.TryAdd(0x80000000, 0x10000000));
        Assert.True(set.TryAdd(0xfffffffffff00000, 0x200000));        // end passes 2^64
        Assert.Equal(ExtendedRegionStatus.Ok, set.Complete(default));
        Assert.Equal(
            new[] { RegionRejection.None, RegionRejection.ZeroSize, RegionRejection.Misaligned, RegionRejection.Misaligned, RegionRejection.None, RegionRejection.EndOverflow },
            new[] { set.Rejection(0), set.Rejection(1), set.Rejection(2), set.Rejection(3), set.Rejection(4), set.Rejection(5) });
        Assert.Equal(R(0x40000000, 0x90000000), set.Resource);
        Assert.Equal(new[] { (0x50000000UL, 0x80000000UL) }, Bounds(set.Holes));
        string report = Report(ref set);
        Assert.Contains("report ext.region 0x50000000-0x50000000\n", report);
        Assert.Contains("report ext.region 0xfffffffffff00000+0x200000\n", report);
        Assert.Contains("report ext.rejected 0x50000000-0x50000000 zero-size\n", report);
        Assert.Contains("report ext.rejected 0x60000800-0x61000800 misaligned\n", report);
        Assert.Contains("report ext.rejected 0xfffffffffff00000+0x200000 end-overflow\n", report);
    }

    [Fact]
    public void Misaligned_regions_still_take_part_in_the_order_check()
    {
        ExtendedRegionSet set = ExtendedRegionSet.Begin(default, AddressableRange.BelowLimit(1UL << 39));
        set.TryAdd(0x40000000, 0x10000800);
        set.TryAdd(0x50000000, 0x10000000);
        Assert.Equal(ExtendedRegionStatus.Overlap, set.Complete(default));
    }

    [Fact]
    public void Overlaps_with_occupied_space_drop_the_region_and_name_what_it_hits()
    {
        var occupied = new OccupiedSpace
        {
            Ram = List(R(0x40000000, 0x48000000)),
            Reserved = List(R(0x7fff0000, 0x80000000), R(0x4fe00000, 0x4fe02000)),
            Dtb = R(0x4fe00000, 0x4fe02000),
            Image = R(0x90080000, 0x900a0000),
        };
        ExtendedRegionSet set = Register(
            new[]
            {
                R(0x38000000, 0x39000000),
                R(0x30000000, 0x38200000),   // grant table region
                R(0x40000000, 0x47e00000),   // RAM (Xen 4.17's known fault)
                R(0x4fe00000, 0x50000000),   // the DTB (also in Reserved: the specific cause wins)
                R(0x60000000, 0x70000000),   // fine
                R(0x70000000, 0x80000000),   // reserved
                R(0x90000000, 0xa0000000),   // the image
                R(0x100000000, 0x140000000), // fine
            },
            AddressableRange.BelowLimit(1UL << 39), occupied);
        Assert.Equal(ExtendedRegionStatus.Ok, set.Status);
        Assert.Equal(
            new[]
            {
                RegionRejection.OverlapsGrantTable, RegionRejection.OverlapsRam, RegionRejection.OverlapsDtb, RegionRejection.None,
                RegionRejection.OverlapsReserved, RegionRejection.OverlapsImage, RegionRejection.None,
            },
            new[] { set.Rejection(0), set.Rejection(1), set.Rejection(2), set.Rejection(3), set.Rejection(4), set.Rejection(5), set.Rejection(6) });
        Assert.Equal(R(0x60000000, 0x140000000), set.Resource);
        Assert.Equal(new[] { (0x70000000UL, 0x100000000UL) }, Bounds(set.Holes));
        string report = Report(ref set);
        Assert.Contains("report ext.rejected 0x30000000-0x38200000 overlaps-grant-table 0x38000000-0x39000000\n", report);
        Assert.Contains("report ext.rejected 0x40000000-0x47e00000 overlaps-ram 0x40000000-0x48000000\n", report);
        Assert.Contains("report ext.rejected 0x4fe00000-0x50000000 overlaps-dtb 0x4fe00000-0x4fe02000\n", report);
        Assert.Contains("report ext.rejected 0x70000000-0x80000000 overlaps-reserved 0x7fff0000-0x80000000\n", report);
        Assert.Contains("report ext.rejected 0x90000000-0xa0000000 overlaps-image 0x90080000-0x900a0000\n", report);
        Assert.False(set.IsUsable(R(0x40000000, 0x40001000)));
        Assert.True(set.IsUsable(R(0x60000000, 0x70000000)));
    }

    [Fact]
    public void Every_region_rejected_leaves_no_resource()
    {
        var occupied = new OccupiedSpace { Ram = List(R(0x40000000, 0x80000000)) };
        ExtendedRegionSet set = Register(new[] { R(0x38000000, 0x39000000), R(0x40000000, 0x50000000) }, AddressableRange.BelowLimit(1UL << 39), occupied);
        Assert.Equal(ExtendedRegionStatus.AllRejected, set.Status);
        Assert.Contains("report ext.resource none all-rejected\n", Report(ref set));
    }

    [Fact]
    public void Region_0_only_or_nothing_means_no_regions()
    {
        Assert.Equal(ExtendedRegionStatus.NoRegions, Register(new[] { R(0x38000000, 0x39000000) }, AddressableRange.BelowLimit(1UL << 39)).Status);
        Assert.Equal(ExtendedRegionStatus.NoRegions, Register(Array.Empty<PhysicalRange>(), AddressableRange.BelowLimit(1UL << 39)).Status);
    }

    [Fact]
    public void More_than_capacity_is_refused()
    {
        ExtendedRegionSet set = ExtendedRegionSet.Begin(default, AddressableRange.BelowLimit(1UL << 39));
        for (int i = 0; i < ExtendedRegionSet.Capacity; i++)
            Assert.True(set.TryAdd(0x40000000UL + (ulong)i * 0x200000, 0x200000));
        Assert.False(set.TryAdd(0x80000000, 0x200000));
        Assert.Equal(ExtendedRegionStatus.TooManyRegions, set.Complete(default));
    }

    /// <summary>The fixture's RAM at 0x40000000 (holding the image) and at 0x880000000 lies
    /// inside two regions: both are dropped, the rest kept.</summary>
    [Fact]
    public void Many_regions_fixture_through_the_boot_facts()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-many-regions"), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, R(0x4fe00000, 0x4fe02000), R(0x40080000, 0x400a0000), out BootFacts facts).IsOk);
        var occupied = new OccupiedSpace { Ram = facts.Memory, Reserved = facts.Reserved, Dtb = R(0x4fe00000, 0x4fe02000), Image = R(0x40080000, 0x400a0000) };
        ExtendedRegionSet.Register(facts.Hypervisor.Regions, occupied, AddressableRange.BelowLimit(1UL << 39), out ExtendedRegionSet set);
        Assert.Equal(ExtendedRegionStatus.Ok, set.Status);
        Assert.Equal(RegionRejection.OverlapsImage, set.Rejection(1)); // the image sits in that RAM: named first
        Assert.Equal(R(0x40080000, 0x400a0000), set.Conflict(1));
        Assert.Equal(RegionRejection.OverlapsRam, set.Rejection(8));
        Assert.Equal(R(0xc000000, 0x700000000), set.Resource);
        Assert.Equal((0x30000000UL, 0xd0000000UL), Bounds(set.Holes)[0]);
    }
}
