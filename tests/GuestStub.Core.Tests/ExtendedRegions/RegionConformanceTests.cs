using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Tests.TestSupport;
using Xunit;
using static GuestStub.Tests.ExtendedRegions.Ranges;

namespace GuestStub.Tests.ExtendedRegions;

/// <summary>
/// ext-regions.disjoint against what no tree holds, the pages the stub has Xen map (shared_info,
/// its grant frames), and against reg values that are not CPU addresses (/cpus children: MPIDRs)
/// or are only through a bus's ranges. The rules' verdicts on whole boots are in
/// tests/GuestStub.Simulation.Tests/ExtendedRegionConformanceTests.cs.
/// </summary>
public class RegionConformanceTests
{
    private const string Tree = """
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>;
            cpus { #address-cells = <1>; #size-cells = <0>; cpu@48000000 { device_type = "cpu"; reg = <0x48000000>; }; };
            memory@50000000 { device_type = "memory"; reg = <0x0 0x50000000 0x0 0x20000000>; };
            bus { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges = <0x1000 0x0 0x60000000 0x1000>;
                  dev@44000000 { reg = <0x44000000 0x100>; }; };
            hypervisor { compatible = "xen,xen-4.17", "xen,xen"; reg = <0x0 0x40200000 0x0 0x40000>, <0x0 0x40400000 0x0 0xfc00000>; };
        };
        """;

    private static RegionConformance Judge(BootOccupants boot)
    {
        Assert.True(Dtb.Open(Tools.CompileSource(Tree), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, default, default, out BootFacts facts).IsOk);
        var occupied = new OccupiedSpace { Ram = facts.Memory, Reserved = facts.Reserved };
        ExtendedRegionSet.Register(facts.Hypervisor.Regions, occupied, AddressableRange.BelowLimit(1UL << 39), out ExtendedRegionSet set);
        boot.GrantRegion = set.GrantRegion;
        RegionConformance.Judge(tree, set, boot, out RegionConformance rules);
        return rules;
    }

    [Fact]
    public void A_cpus_mpidr_and_a_reg_no_range_translates_occupy_nothing()
    {
        RegionConformance rules = Judge(default);
        Assert.Equal(0, rules.OverlappingRegion); // cpu@48000000's reg is an MPIDR; dev@44000000 lies outside the bus's window (read as a CPU address, it would be inside region 1)
        Assert.Equal(0, rules.MisalignedRegion);
        Assert.Equal(0, rules.SmallRegion);
    }

    [Fact]
    public void The_shared_info_page_inside_a_region_is_named()
    {
        RegionConformance rules = Judge(new BootOccupants { SharedInfo = R(0x4ffff000, 0x50000000) });
        Assert.Equal(1, rules.OverlappingRegion);
        Assert.Equal(Occupant.SharedInfo, rules.Overlapped);
        Assert.Equal(R(0x4ffff000, 0x50000000), rules.OverlappedRange);
    }

    [Fact]
    public void Grant_frames_inside_a_region_are_named()
    {
        RegionConformance rules = Judge(new BootOccupants { GrantFrames = R(0x40400000, 0x40440000) });
        Assert.Equal(Occupant.GrantFrames, rules.Overlapped);
        Assert.True(rules.Overlaps(0));
    }
}
