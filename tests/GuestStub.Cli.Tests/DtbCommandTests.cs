using System;
using System.IO;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Cli.Tests;

public class DtbCommandTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Temp(byte[] blob)
    {
        string path = Path.Combine(Path.GetTempPath(), "gueststub-cli-" + Guid.NewGuid().ToString("N") + ".dtb");
        File.WriteAllBytes(path, blob);
        return path;
    }

    /// <summary>Differential: the printed tree is byte for byte what dtc prints.</summary>
    [Theory]
    [ClassData(typeof(TheoryDataFixtures))]
    public void Tree_equals_dtc_output(string fixture)
    {
        string dtb = Tools.DtbPath(fixture);
        (int exit, string stdout, string stderr) = Run("dtb", dtb);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        int facts = stdout.IndexOf("\n// boot facts\n", StringComparison.Ordinal);
        Assert.True(facts > 0);
        Assert.Equal(Tools.Run("dtc", "-q", "-I", "dtb", "-O", "dts", dtb), stdout[..facts]);
    }

    [Fact]
    public void Boot_facts_of_the_many_regions_fixture()
    {
        (int exit, string stdout, _) = Run("dtb", Tools.DtbPath("xen-many-regions"), "--dtb-address", "0x4fe00000", "--image-base", "0x40080000", "--image-size", "0x20000");
        Assert.Equal(0, exit);
        string facts = stdout[stdout.IndexOf("// boot facts", StringComparison.Ordinal)..];
        Assert.Contains("// memory: 0x880000000-0x8c0000000 (1 GiB)\n", facts);
        Assert.Contains("// reserved: 0x42000000-0x42200000 (2 MiB)\n", facts);
        Assert.Contains("// reserved: 0x40080000-0x400a0000 (128 KiB)\n", facts);
        Assert.Contains("// bootargs: \"console=ttyAMA0 earlycon loglevel=8\"\n", facts);
        Assert.Contains("// console: serial0 -> /pl011@9000000 \"arm,pl011\" at 0x9000000 options \"115200n8\"\n", facts);
        Assert.Contains("// hypervisor: /hypervisor version 4.17\n", facts);
        Assert.Contains("//   region 0 (grant table): 0x0-0x8000000 (128 MiB)\n", facts);
        Assert.Contains("//   region 9 (extended): 0x780000000-0x10000000000 (994 GiB)\n", facts);
        Assert.Contains("//   event channel interrupt: <0x1 0xf 0xf08> (GIC INTID 31)\n", facts);
        Assert.Contains("// psci: smc\n", facts);
    }

    [Fact]
    public void A_hypervisor_interrupt_without_a_parent_is_printed_as_unresolved_not_an_error()
    {
        // Before issue 13 this tree ended with "required node or property missing".
        (int exit, string stdout, string stderr) = Run("dtb", Tools.DtbPath("xen-unresolved-irq"));
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.StartsWith("/dts-v1/;", stdout);
        Assert.Contains("\t\tinterrupts = <0x01 0x0f 0xf08>;\n", stdout);
        Assert.Contains("//   region 1 (extended): 0x48000000-0x58000000 (256 MiB)\n", stdout);
        Assert.Matches(@"//   event channel interrupt: unresolved: required node or property missing at byte offset 0x[0-9a-f]+ \(no interrupt-parent on the node or above it\); Xen setup goes on without the upcall\n", stdout);
    }

    [Fact]
    public void A_hypervisor_region_ending_past_2_64_is_printed_as_dropped()
    {
        (int exit, string stdout, _) = Run("dtb", Tools.DtbPath("xen-region-overflow"));
        Assert.Equal(0, exit);
        Assert.Contains("//   region 1 (extended): 0x48000000-0x58000000 (256 MiB)\n", stdout);
        Assert.Contains("//   region 2 (extended): 0xffffffffffe00000+0x400000 dropped: address + size passes 2^64 at byte offset 0x1d0\n", stdout);
        Assert.Contains("//   event channel interrupt: <0x1 0x0 0xf08> (GIC INTID 16)\n", stdout);
    }

    /// <summary>The dom0 tree Xen built (tests/fixtures/xen/dom0.dtb): the facts printed are
    /// the ones in the Xen log captured beside it (dom0.xen.log: BANK[0], "Loading d0 DTB to",
    /// "Grant table range", "d0: extended region N", "Allocating PPI 16").</summary>
    [Fact]
    public void Boot_facts_of_the_captured_xen_dom0_tree()
    {
        (int exit, string stdout, string stderr) = Run("dtb", Tools.DtbPath(Tools.CapturedPrefix + "dom0"), "--dtb-address", "0x77e00000");
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        string facts = stdout[stdout.IndexOf("// boot facts", StringComparison.Ordinal)..];
        Assert.Contains("// memory: 0x70000000-0x78000000 (128 MiB)\n", facts);
        Assert.Contains("// reserved: 0x77e00000-0x77e01bbb (7099 bytes)\n", facts);
        Assert.Contains("// hypervisor: /hypervisor version 4.17\n", facts);
        Assert.Contains("//   region 0 (grant table): 0x40200000-0x40240000 (256 KiB)\n", facts);
        Assert.Contains("//   region 1 (extended): 0x40400000-0x70000000 (764 MiB)\n", facts);
        Assert.Contains("//   region 2 (extended): 0x78000000-0x80000000 (128 MiB)\n", facts);
        Assert.Contains("//   event channel interrupt: <0x1 0x0 0xf08> (GIC INTID 16)\n", facts);
    }

    public static TheoryData<string, DtbError> MalformedCases() => new()
    {
        { "truncated", DtbError.Truncated },
        { "bad-magic", DtbError.BadMagic },
        { "swapped-magic", DtbError.SwappedMagic },
        { "deep", DtbError.TooDeep },
        { "bad-cells", DtbError.BadCells },
    };

    private static byte[] Malformed(string kind)
    {
        byte[] blob = FdtBuilder.Minimal().Build();
        switch (kind)
        {
            case "truncated": return blob[..^4];
            case "bad-magic": FdtBuilder.Put(blob, 0, 0x12345678); return blob;
            case "swapped-magic": FdtBuilder.Put(blob, 0, FdtLayout.SwappedMagic); return blob;
            case "deep":
                var deep = new FdtBuilder().Begin("");
                for (int i = 0; i < 1000; i++) deep.Begin("n");
                for (int i = 0; i < 1000; i++) deep.EndNode();
                return deep.EndNode().End().Build();
            default:
                return new FdtBuilder().Begin("").Cells("#address-cells", 9)
                    .Begin("memory").String("device_type", "memory").Cells("reg", 0, 1).EndNode().EndNode().End().Build();
        }
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Malformed_input_is_one_line_and_exit_1(string kind, DtbError error)
    {
        string path = Temp(Malformed(kind));
        (int exit, string stdout, string stderr) = Run("dtb", path);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        // The guest's wording, word for word: the cause's phrase and the byte offset in hex.
        string phrase = System.Text.Encoding.ASCII.GetString(DtbErrorText.Describe(error));
        Assert.Matches($"^gueststub dtb: {System.Text.RegularExpressions.Regex.Escape(path)}: {System.Text.RegularExpressions.Regex.Escape(phrase)} at byte offset 0x[0-9a-f]+\n$", stderr);
        Assert.DoesNotContain("   at ", stderr);
        File.Delete(path);
    }

    [Fact]
    public void Missing_file_is_one_line_and_exit_1()
    {
        (int exit, string stdout, string stderr) = Run("dtb", "/nonexistent/x.dtb");
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("gueststub dtb: ", stderr);
    }

    [Fact]
    public void Missing_argument_is_a_usage_error()
    {
        (int exit, _, string stderr) = Run("dtb");
        Assert.Equal(2, exit);
        Assert.Contains("usage: gueststub dtb <file>", stderr);
    }

    [Fact]
    public void Every_error_has_a_description()
    {
        foreach (DtbError error in Enum.GetValues<DtbError>())
        {
            if (error != DtbError.None)
                Assert.NotEqual("invalid device tree", System.Text.Encoding.ASCII.GetString(DtbErrorText.Describe(error)));
        }
    }
}
