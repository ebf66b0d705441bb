using GuestStub.Platform;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Tests.TestSupport;
using GuestStub.Tests.Vectors;
using Xunit;
using static GuestStub.Tests.ExtendedRegions.Ranges;

namespace GuestStub.Tests.ExtendedRegions;

/// <summary>
/// Registration of extended regions: the vectors of tests/vectors/extended-regions.vec (the
/// patch review's worked example, clamps, disorder, overlap, malformed regions, regions over
/// occupied space, capacity, Xen's dom0 layout and random sets, each with the status, resource,
/// holes and every region's verdict an independent model gives: tests/GuestStub.Vectors.Generator,
/// Suites/ExtendedRegionSuite.cs), which the guest test image runs too; their report lines are in
/// report-lines.vec (Report/ReportLineTests). Below, what a vector cannot say.
/// </summary>
public class RegistrationTests
{
    public const string VectorFile = "extended-regions.vec";

    public static TheoryData<string> Sets() => HostVectors.Names(VectorFile);

    [Theory]
    [MemberData(nameof(Sets))]
    public void Registration_gives_exactly_the_expected_set(string name) => HostVectors.Run(VectorFile, name);

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
