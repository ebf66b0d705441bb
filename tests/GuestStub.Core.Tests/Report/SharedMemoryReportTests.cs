using System;
using System.Linq;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Tests.ExtendedRegions;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.Report;

/// <summary>
/// Static shared memory and static memory as a domU reads them from the tree Xen built
/// (make_shm_resv_memory_node: /reserved-memory/xen-shmem@ADDR, and the region also a memory
/// bank) and judges them: <c>static-shm.region</c>, <c>static-shm.ext-regions</c>,
/// <c>static-mem.banks</c> against <c>gueststub.expect-mem=</c>; absent, they apply only when
/// named in <c>gueststub.checks=</c>.
/// </summary>
public class SharedMemoryReportTests
{
    /// <summary>A domU's tree as Xen 4.21.2 writes it for the CI's layout (captured in a boot
    /// here: memory banks 0x40000000/128 MiB and the region 0x4000000/256 MiB).</summary>
    private static string Tree(string shmem = DefaultShmem, string regions = "0x00 0x48000000 0x00 0xb8000000", string gic = GicV2) => $$"""
        /dts-v1/;
        / {
        	#address-cells = <2>;
        	#size-cells = <2>;
        	memory@40000000 {
        		device_type = "memory";
        		reg = <0x00 0x40000000 0x00 0x8000000 0x00 0x4000000 0x00 0x10000000>;
        	};
        	reserved-memory {
        		ranges;
        		#address-cells = <2>;
        		#size-cells = <2>;
        {{shmem}}
        	};
        {{gic}}
        	hypervisor {
        		compatible = "xen,xen-4.21", "xen,xen";
        		reg = <0x00 0x38000000 0x00 0x1000000 {{regions}}>;
        	};
        };
        """;

    /// <summary>A domU's GIC as Xen writes it (GUEST_GICD_BASE, then GUEST_GICC_BASE or the
    /// GICv3 redistributor region GUEST_GICV3_GICR0_BASE + 16 MiB).</summary>
    private const string GicV2 = """
        	interrupt-controller@3001000 {
        		compatible = "arm,gic-400";
        		#interrupt-cells = <3>;
        		interrupt-controller;
        		reg = <0x00 0x3001000 0x00 0x1000 0x00 0x3002000 0x00 0x2000>;
        	};
        """;

    private const string GicV3 = """
        	interrupt-controller@3001000 {
        		compatible = "arm,gic-v3";
        		#interrupt-cells = <3>;
        		interrupt-controller;
        		reg = <0x00 0x3001000 0x00 0x10000 0x00 0x3020000 0x00 0x1000000>;
        	};
        """;

    private const string DefaultShmem = """
        		xen-shmem@4000000 {
        			compatible = "xen,shared-memory-v1";
        			reg = <0x00 0x4000000 0x00 0x10000000>;
        			xen,id = "my-shared-mem-0";
        			xen,offset = <0x00 0x00>;
        		};
        """;

    private static string Report(string dts, string bootargs)
    {
        byte[] blob = Tools.CompileSource(dts);
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, default, default, out BootFacts facts).IsOk);
        BootOptions options = BootOptions.Parse(new BootArguments(Encoding.ASCII.GetBytes(bootargs)));
        var checks = new CheckVerdicts(options.Checks);
        checks.KnowRole(CheckRoles.DomU);
        var sink = new ReportSink();
        SharedMemoryReport.Found(ref sink, ref checks, facts, options);
        return sink.ToString();
    }

    [Fact]
    public void The_CI_region_is_found_with_its_id_and_clear_of_the_extended_regions()
    {
        string report = Report(Tree(), "gueststub.expect-mem=0x40000000-0x48000000");
        Assert.Equal("""
            report shm.region 0x4000000-0x14000000 my-shared-mem-0
            report check.static-shm.region SUCCESS
            report check.static-shm.ext-regions SUCCESS
            report check.static-mem.banks SUCCESS

            """.Replace("\r", ""), report);
    }

    [Fact]
    public void Under_GICv3_the_CI_region_lies_over_the_redistributors_and_that_is_a_failure_naming_both()
    {
        string report = Report(Tree(gic: GicV3), "");
        Assert.Contains("report check.static-shm.region FAILURE my-shared-mem-0 0x4000000-0x14000000 overlaps the GIC's emulated " +
            "registers 0x3020000-0x4020000\n", report);
        Assert.DoesNotContain("static-shm.region SUCCESS", report);
    }

    [Fact]
    public void An_extended_region_over_the_region_is_a_failure_naming_both()
    {
        string report = Report(Tree(regions: "0x00 0x0 0x00 0x8000000 0x00 0x48000000 0x00 0xb8000000"), "");
        Assert.Contains("report check.static-shm.ext-regions FAILURE my-shared-mem-0 0x4000000-0x14000000 overlaps the extended region " +
            "0x0-0x8000000\n", report);
    }

    [Theory]
    [InlineData("gueststub.expect-mem=0x60000000-0x68000000", "found 0x40000000-0x48000000, expected 0x60000000-0x68000000")]
    [InlineData("gueststub.expect-mem=0x40000000-0x48000000,0x200000000-0x210000000", "found none, expected 0x200000000-0x210000000")]
    public void Banks_other_than_those_stated_are_a_failure_naming_the_first_difference(string bootargs, string difference) =>
        Assert.Contains($"report check.static-mem.banks FAILURE memory banks differ from gueststub.expect-mem=: {difference}\n",
            Report(Tree(), bootargs));

    [Fact]
    public void A_malformed_expectation_is_an_error_of_the_test()
    {
        Assert.Contains("report check.static-mem.banks ERROR gueststub.expect-mem= is malformed\n",
            Report(Tree(), "gueststub.expect-mem=0x40000000+0x8000000"));
    }

    [Fact]
    public void Without_static_memory_the_checks_do_not_apply_unless_named()
    {
        string tree = Tree(shmem: "");
        Assert.Equal("", Report(tree, ""));
        Assert.Equal("""
            report check.static-shm.region SKIP no static shared memory in the device tree
            report check.static-shm.ext-regions SKIP no static shared memory in the device tree
            report check.static-shm.exchange SKIP no static shared memory in the device tree
            report check.static-mem.banks SKIP no gueststub.expect-mem= given

            """.Replace("\r", ""), Report(tree, "gueststub.checks=static-shm,static-mem.banks"));
    }

    [Theory]
    [InlineData("reg = <0x00 0x4000000 0x00 0x10000000>;")]
    [InlineData("reg = <0x00 0x4000000 0x00 0x10000000>; xen,id = \"an-id-far-too-long\";")]
    [InlineData("reg = <0x00 0x4000000 0x00 0x0>; xen,id = \"a\";")]
    public void A_node_Xen_wrote_that_breaks_the_binding_is_a_failure(string properties)
    {
        string shmem = "xen-shmem@4000000 { compatible = \"xen,shared-memory-v1\"; " + properties + " };";
        string report = Report(Tree(shmem), "");
        Assert.Contains("report check.static-shm.region FAILURE unusable xen-shmem node: ", report);
        Assert.DoesNotContain("shm.region 0x", report);
    }

    [Theory]
    [InlineData("0x40000000-0x48000000,0x200000000-0x210000000", 2)]
    [InlineData("0x40000000-0x48000000,", -1)]
    [InlineData("0x48000000-0x40000000", -1)]
    [InlineData("40000000-48000000", -1)]
    [InlineData("0x40000000-0x40000000", -1)]
    [InlineData("0x12345678901234567-0x1", -1)]
    [InlineData("0x40000000-0x48000000x", -1)]
    [InlineData("", 0)]
    public void Expected_banks_are_half_open_hexadecimal_ranges(string value, int count)
    {
        byte[] text = Encoding.ASCII.GetBytes(value);
        int position = 0, read = 0;
        bool malformed;
        while (BootArguments.NextRange(text, ref position, out _, out malformed))
            read++;
        Assert.Equal(count, malformed ? -1 : read);
    }

    [Fact]
    public void Named_differs_from_selected_through_all()
    {
        Assert.False(CheckSelection.All.Named(Check.StaticShmExchange));
        Assert.False(CheckSelection.Parse("all"u8).Named(Check.StaticShmExchange));
        Assert.True(CheckSelection.Parse("all,static-shm"u8).Named(Check.StaticShmExchange));
        Assert.True(CheckSelection.Parse("static-shm.exchange"u8).Named(Check.StaticShmExchange));
        Assert.False(CheckSelection.Parse("static-shm.exchange"u8).Named(Check.StaticShmRegion));
    }
}
