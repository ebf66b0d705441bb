using System;
using System.IO;
using System.Linq;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Cli.Tests;

/// <summary>
/// <c>gueststub plan</c> prints what the guest prints. The trees are the ones Xen 4.17 built
/// (tests/fixtures/xen), placed where the guest found them; the expected lines are the guest's
/// own report from the same boots under real Xen (tests/fixtures/reports, which the boot tests
/// hold the guest to).
/// </summary>
public class PlanCommandTests
{
    private static string Fixture(params string[] parts) => Path.Combine(new[] { RepoPaths.Root, "tests", "fixtures" }.Concat(parts).ToArray());

    private static (int Exit, string Stdout, string Stderr) Plan(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Program.Run(new[] { "plan" }.Concat(args).ToArray(), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string[] ReportLines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("report ", StringComparison.Ordinal)).ToArray();

    private static string[] Golden(string name) => ReportLines(File.ReadAllText(Fixture("reports", name)));

    [Fact]
    public void Dom0_plan_prints_the_guests_report_lines_exactly()
    {
        // The guest's banner: DTB 0x77e00000-..., image 0x70080000-....
        var (exit, stdout, stderr) = Plan(Fixture("xen", "dom0.dtb"), "--dtb-address", "0x77e00000", "--image", "0x70080000-0x700bc000");
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        string[] golden = Golden("xen-dom0-1g.report");
        Assert.Equal(golden, GuestStub.Tests.Reports.GoldenReport.Normalise(golden, ReportLines(stdout)));
    }

    [Fact]
    public void DomU_plan_prints_the_guests_report_lines_exactly()
    {
        var (exit, stdout, stderr) = Plan(Fixture("xen", "domu.dtb"), "--domu",
            "--dtb-address", "0x47e00000", "--image", "0x40080000-0x400bb000");
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        string[] golden = Golden("xen-domu.report");
        Assert.Equal(golden, GuestStub.Tests.Reports.GoldenReport.Normalise(golden, ReportLines(stdout)));
    }

    [Fact]
    public void The_clamp_option_cuts_the_domUs_terabyte_region()
    {
        var (exit, stdout, _) = Plan(Fixture("xen", "domu.dtb"), "--domu", "--bootargs", "gueststub.domid=1", "--clamp", "0x100000000");
        Assert.Equal(0, exit);
        string[] lines = ReportLines(stdout);
        Assert.Contains("report ext.region 0x200000000-0x10000000000", lines); // as found
        Assert.Contains("report ext.clamp 0x0-0x100000000", lines);
        Assert.Contains("report ext.resource 0x48000000-0x100000000", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("report ext.hole "));
    }

    [Fact]
    public void A_dtb_placed_inside_an_extended_region_gets_it_rejected()
    {
        // dom0's second region 0x78000000-0x80000000: put the tree there.
        var (exit, stdout, _) = Plan(Fixture("xen", "dom0.dtb"), "--dtb-address", "0x7a000000");
        Assert.Equal(0, exit);
        Assert.Contains(ReportLines(stdout), l => l.StartsWith("report ext.rejected 0x78000000-0x80000000 overlaps-dtb 0x7a000000-"));
        Assert.Contains("report ext.resource 0x40400000-0x70000000", ReportLines(stdout));
    }

    [Fact]
    public void Ballooned_scratch_pages_are_planned_too()
    {
        var (exit, stdout, _) = Plan(Fixture("xen", "dom0.dtb"), "--bootargs", "gueststub.scratch=ballooned");
        Assert.Equal(0, exit);
        string[] lines = ReportLines(stdout);
        Assert.Contains("report scratch.method ballooned", lines);
        Assert.Contains("report scratch.selftest ok", lines);
        Assert.Contains("report status ok", lines);
    }

    [Fact]
    public void An_unresolved_hypervisor_interrupt_still_boots_without_the_upcall()
    {
        var (exit, stdout, stderr) = Plan(Tools.DtbPath("xen-unresolved-irq"));
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        string[] lines = ReportLines(stdout);
        Assert.Contains(lines, l => l.StartsWith("report evtchn.irq unresolved: required node or property missing at 0x"));
        Assert.Contains("report grant.method region0", lines);
        Assert.Contains("report scratch.selftest ok", lines);
        Assert.Contains("report status ok", lines);
    }

    [Fact]
    public void An_extended_region_ending_past_2_64_is_dropped_and_the_others_registered()
    {
        var (exit, stdout, _) = Plan(Tools.DtbPath("xen-region-overflow"));
        Assert.Equal(0, exit);
        string[] lines = ReportLines(stdout);
        Assert.Contains("report ext.rejected 0xffffffffffe00000+0x400000 end-overflow", lines);
        Assert.Contains("report ext.resource 0x48000000-0x58000000", lines);
        Assert.Contains("report scratch.method resource", lines);
        Assert.Contains("report status ok", lines);
    }

    [Fact]
    public void A_region_0_ending_past_2_64_sends_the_grant_table_to_ballooned_pages()
    {
        string dts = File.ReadAllText(Fixture("dts", "xen-region-overflow.dts"))
            .Replace("reg = <0x0 0x38000000 0x0 0x1000000>,", "reg = <0xffffffff 0xfff00000 0x0 0x200000>,");
        string path = Path.Combine(Path.GetTempPath(), $"gueststub-plan-{Guid.NewGuid():N}.dtb");
        File.WriteAllBytes(path, Tools.CompileSource(dts));
        try
        {
            var (exit, stdout, _) = Plan(path);
            Assert.Equal(0, exit);
            string[] lines = ReportLines(stdout);
            Assert.Contains("report grant.region0 0xfffffffffff00000+0x200000", lines);
            Assert.Contains("report grant.region0.verdict end-overflow", lines);
            Assert.Contains("report grant.method ballooned", lines);
            Assert.Contains("report ext.resource 0x48000000-0x58000000", lines);
            Assert.Contains("report status ok", lines);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--image", "0x2000-0x1000")]
    [InlineData("--image", "nonsense")]
    [InlineData("--image", " 4096-+8192")] // as --clamp and every other number: digits only
    [InlineData("--clamp", "0")]
    [InlineData("--dtb-address", "zz")]
    public void Bad_placement_options_are_usage_errors(string option, string value)
    {
        var (exit, _, stderr) = Plan(Fixture("xen", "dom0.dtb"), option, value);
        Assert.NotEqual(0, exit);
        Assert.Contains(option, stderr);
    }

    [Fact]
    public void A_malformed_DTB_gets_the_same_one_line_as_the_dtb_command()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gueststub-plan-{Guid.NewGuid():N}.dtb");
        File.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes("not a device tree at all, just text"));
        try
        {
            var (exit, stdout, stderr) = Plan(path);
            Assert.Equal(1, exit);
            Assert.Equal("", stdout);
            Assert.Equal($"gueststub plan: {path}: bad magic (not a DTB) at byte offset 0x0\n", stderr.Replace("\r", ""));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
