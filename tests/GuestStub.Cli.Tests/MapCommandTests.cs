using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Cli.Tests;

public class MapCommandTests
{
    private static (int Exit, string Stdout, string Stderr, string Svg) Map(string dtb, params string[] extra)
    {
        string svg = Path.Combine(Path.GetTempPath(), "gueststub-map-" + Guid.NewGuid().ToString("N") + ".svg");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Program.Run(new[] { "map", dtb, "--svg", svg }.Concat(extra).ToArray(), stdout, stderr);
        string text = File.Exists(svg) ? File.ReadAllText(svg) : "";
        File.Delete(svg);
        return (exit, stdout.ToString(), stderr.ToString(), text);
    }

    private static string[] Texts(string svg)
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        return XDocument.Parse(svg).Descendants(ns + "text").Select(t => t.Value).ToArray();
    }

    [Fact]
    public void Many_regions_map_is_well_formed_and_labelled()
    {
        (int exit, string stdout, string stderr, string svg) = Map(Tools.DtbPath("xen-many-regions"));
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        string[] texts = Texts(svg);
        Assert.Contains("0x780000000", texts);
        Assert.Contains("0x10000000000", texts);
        Assert.Contains("region 0 (grant table)", texts);
        Assert.Contains("region 2 rejected: overlaps-ram", texts);
        Assert.Contains("hole", texts);
        Assert.Contains("2560 MiB", texts); // Core's sizes: the largest binary unit that divides, as the guest prints
        Assert.Contains("chunk 0", texts);
        Assert.Contains("clamp 0x8000000000 (512 GiB)", texts);
        Assert.Contains("RAM", texts);
        Assert.Contains("report scratch.chunk 0x10000000-0x18000000\n", stdout);
        Assert.Contains("report ext.hole 0x30000000-0xd0000000\n", stdout);
    }

    /// <summary>A dom0less domU's layout: a 1 TiB region far above RAM, clamped at 512 GiB.</summary>
    [Fact]
    public void Sparse_domU_space_with_a_1_TiB_region_stays_readable()
    {
        byte[] blob = Tools.CompileSource(@"/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	memory@40000000 { device_type = ""memory""; reg = <0x0 0x40000000 0x0 0x8000000>; };
	hypervisor {
		compatible = ""xen,xen-4.17"", ""xen,xen"";
		reg = <0x0 0x38000000 0x0 0x1000000>, <0x0 0x48000000 0x0 0xb8000000>, <0x2 0x0 0x100 0x0>;
	};
};");
        string dtb = Path.Combine(Path.GetTempPath(), "gueststub-domu-" + Guid.NewGuid().ToString("N") + ".dtb");
        File.WriteAllBytes(dtb, blob);
        (int exit, string stdout, _, string svg) = Map(dtb, "--clamp", "0x8000000000", "--chunks", "2");
        File.Delete(dtb);
        Assert.Equal(0, exit);
        Assert.Contains("report ext.resource 0x48000000-0x8000000000\n", stdout);
        string[] texts = Texts(svg);
        Assert.Contains("1 TiB", texts);
        Assert.Contains("0x200000000", texts);
        Assert.Contains("clamp 0x8000000000 (512 GiB)", texts);
        Assert.Contains("chunk 1", texts);
        // The broken scale keeps the drawing a sensible size.
        int height = int.Parse(XDocument.Parse(svg).Root!.Attribute("height")!.Value);
        Assert.InRange(height, 300, 4000);
    }

    [Fact]
    public void Missing_svg_option_is_a_usage_error()
    {
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Usage, Program.Run(new[] { "map", Tools.DtbPath("xen-many-regions") }, new StringWriter(), stderr));
        Assert.Contains("--svg", stderr.ToString());
    }

    [Fact]
    public void Clamp_zero_is_a_usage_error_as_in_plan()
    {
        (int exit, _, string stderr, string svg) = Map(Tools.DtbPath("xen-many-regions"), "--clamp", "0");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--clamp", stderr);
        Assert.Equal("", svg);
    }

    [Fact]
    public void Tree_without_hypervisor_is_bad_input()
    {
        (int exit, _, string stderr, _) = Map(Tools.DtbPath("qemu-virt-gicv3"));
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("no Xen hypervisor node", stderr);
    }
}
