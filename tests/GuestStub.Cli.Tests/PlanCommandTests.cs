using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
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

    /// <summary>The domUs of <c>./build.sh run --domu</c>: the stub as dom0 and two dom0less
    /// domUs, each tree placed where its guest found it (their banners).</summary>
    private static string[] DomUBoot(params string[] extra) => new[]
        {
            Fixture("xen", "dom0.dtb"), "--dtb-address", "0x77e00000", "--image", "0x70080000-0x700c3000",
            "--domu", Fixture("xen", "domu.dtb"), "--dtb-address", "0x47e00000", "--image", "0x40080000-0x400c3000",
            "--domu", Fixture("xen", "domu.dtb"), "--dtb-address", "0x47e00000", "--image", "0x40080000-0x400c3000",
        }.Concat(extra).ToArray();

    /// <summary>Each domain's part of a plan of several: the lines under "=== domain N (...): FILE".</summary>
    private static Dictionary<int, string> Sections(string stdout)
    {
        var sections = new Dictionary<int, string>();
        int? current = null;
        foreach (string line in stdout.Split('\n'))
        {
            var header = Regex.Match(line, @"^=== domain (\d+) \((dom0|domU)\): ");
            if (header.Success)
            {
                current = int.Parse(header.Groups[1].Value);
                sections[current.Value] = "";
            }
            else if (current is int d)
            {
                sections[d] += line + "\n";
            }
        }
        return sections;
    }

    [Fact]
    public void A_plan_of_dom0_and_two_domUs_prints_each_guests_report_lines_exactly()
    {
        var (exit, stdout, stderr) = Plan(DomUBoot());
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.StartsWith($"=== domain 0 (dom0): {Fixture("xen", "dom0.dtb")}\n", stdout);
        Dictionary<int, string> sections = Sections(stdout);
        Assert.Equal(new[] { 0, 1, 2 }, sections.Keys.Order());
        foreach ((int domid, string name) in new[] { (0, "xen-domu-dom0.report"), (1, "xen-domu.report"), (2, "xen-domu-d2.report") })
        {
            string[] golden = Golden(name);
            Assert.Equal(golden, GuestStub.Tests.Reports.GoldenReport.Normalise(golden, ReportLines(sections[domid])));
        }
    }

    [Fact]
    public void Static_event_channels_between_dom0_and_each_domU_are_planned_too()
    {
        var (exit, stdout, stderr) = Plan(DomUBoot("--static-evtchn"));
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Dictionary<int, string> sections = Sections(stdout);
        Assert.Contains("GuestStub: peers: 2 found: domain 1 (static event channel, port 11), domain 2 (static event channel, port 12)", sections[0]);
        foreach (int domid in new[] { 1, 2 })
        {
            Assert.Contains("report frontend.channel static", ReportLines(sections[domid]));
            Assert.Contains("report status ok", ReportLines(sections[domid]));
        }
        Assert.Contains("report domains.wait ok", ReportLines(sections[0]));
    }

    [Fact]
    public void A_domU_planned_alone_says_no_dom0_was_in_the_plan()
    {
        string domU = Fixture("xen", "domu.dtb");
        var (exit, stdout, stderr) = Plan(domU, "--domu", "--dtb-address", "0x47e00000");
        Assert.Equal("", stderr);
        Assert.Equal(0, exit); // nobody to publish to is not an error: the frontend is skipped, and says why
        string[] lines = ReportLines(stdout);
        Assert.Contains("report frontend.publish skipped (no dom0: EVTCHNOP_alloc_unbound dom=0: -ESRCH (-3))", lines);
        Assert.Contains("report check.frontend.backend-reply SKIP no dom0 (frontend.publish)", lines);
        Assert.Equal("report status ok", lines[^1]);
        Assert.EndsWith("Test result: SKIP\n" +
            $"gueststub plan: no dom0 in this plan: the frontend had nobody to publish to (plan DOM0.dtb --domu {domU} runs them together)\n",
            stdout);
        Assert.DoesNotContain("=== domain", stdout); // one tree: its lines as they are
        // The same domU beside dom0: no such line.
        (exit, stdout, _) = Plan(Fixture("xen", "dom0.dtb"), "--domu", domU);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("no dom0 in this plan", stdout);
    }

    [Fact]
    public void The_clamp_option_cuts_the_domUs_terabyte_region()
    {
        var (exit, stdout, _) = Plan(Fixture("xen", "dom0.dtb"), "--domu", Fixture("xen", "domu.dtb"), "--clamp", "0x100000000");
        Assert.Equal(0, exit);
        string[] lines = ReportLines(Sections(stdout)[1]);
        Assert.Contains("report ext.region 0x200000000-0x10000000000", lines); // as found
        Assert.Contains("report ext.clamp 0x0-0x100000000", lines);
        Assert.Contains("report ext.resource 0x48000000-0x100000000", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("report ext.hole "));
        Assert.Contains("report ext.clamp 0x0-0x100000000", ReportLines(Sections(stdout)[0])); // the machine's, for every domain
    }

    [Theory]
    [InlineData("unexpected argument '{domu}': a domU's tree follows --domu", "{dom0}", "{domu}")]
    [InlineData("option --domid: 'two' is not a number", "{dom0}", "--domu", "{domu}", "--domid", "two")]
    [InlineData("--static-evtchn needs dom0 and a domU: it binds a channel between them", "{dom0}", "--static-evtchn")]
    [InlineData("--static-evtchn needs dom0 and a domU: it binds a channel between them", "{domu}", "--domu", "--static-evtchn")]
    [InlineData("--domid 0 is dom0's: {domu}", "{dom0}", "--domu", "{domu}", "--domid", "0")]
    [InlineData("--domid applies to a domU only (dom0 is domain 0): {dom0}", "{dom0}", "--domid", "3")]
    [InlineData("domain 1 given twice", "{dom0}", "--domu", "{domu}", "--domu", "{domu}", "--domid", "1")]
    [InlineData("option --clamp given twice", "{dom0}", "--clamp", "0x1000", "--domu", "{domu}", "--clamp", "0x1000")]
    [InlineData("option --domu given twice for {domu}", "{dom0}", "--domu", "{domu}", "--domu")]
    [InlineData("option --bootargs given twice", "{dom0}", "--bootargs", "a", "--bootargs", "b")]
    [InlineData("options before any DTB file: give the tree first (--bootargs x)", "--bootargs", "x", "--domu", "{domu}")]
    [InlineData("missing DTB file", "--static-evtchn")]
    public void A_bad_command_line_gets_one_line_naming_what_is_wrong_and_exit_code_2(string message, params string[] args)
    {
        string dom0 = Fixture("xen", "dom0.dtb"), domU = Fixture("xen", "domu.dtb");
        var (exit, stdout, stderr) = Plan(args.Select(a => a.Replace("{dom0}", dom0).Replace("{domu}", domU)).ToArray());
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        string[] lines = stderr.Replace("\r", "").TrimEnd('\n').Split('\n');
        Assert.Equal($"gueststub plan: {message.Replace("{dom0}", dom0).Replace("{domu}", domU)}", lines[0]);
        Assert.StartsWith("usage: gueststub plan ", lines[1]);
    }

    [Fact]
    public void A_malformed_domU_tree_is_named_with_the_dtb_commands_line()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gueststub-plan-{Guid.NewGuid():N}.dtb");
        File.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes("not a device tree at all, just text"));
        try
        {
            var (exit, stdout, stderr) = Plan(Fixture("xen", "dom0.dtb"), "--domu", path);
            Assert.Equal(1, exit);
            Assert.Equal("", stdout);
            Assert.Equal($"gueststub plan: {path}: bad magic (not a DTB) at byte offset 0x0\n", stderr.Replace("\r", ""));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_help_names_the_domUs_and_the_static_channels()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "--help" }, stdout, new StringWriter()));
        string plan = stdout.ToString().Split('\n').Single(l => l.TrimStart().StartsWith("plan "));
        Assert.Contains("--domu DOMU.dtb", plan);
        Assert.Contains("--static-evtchn", plan);
    }

    [Fact]
    public void Plan_shows_the_extended_region_rule_a_placement_breaks_and_the_boots_failure()
    {
        // The tree Xen 4.17 gave dom0, placed inside its second region: ext-regions.disjoint
        // names the region and the DTB, the other rules pass, XTF's closing line says FAILURE.
        var (exit, stdout, _) = Plan(Fixture("xen", "dom0.dtb"), "--dtb-address", "0x7a000000");
        Assert.Equal(0, exit);
        string[] lines = stdout.Replace("\r", "").Split('\n');
        Assert.Contains(lines, l => l.StartsWith("report check.ext-regions.disjoint FAILURE region 2 0x78000000-0x80000000 overlaps dtb 0x7a000000-"));
        Assert.Contains("report check.ext-regions.alignment SUCCESS", lines);
        Assert.Contains("report check.ext-regions.size SUCCESS", lines);
        Assert.Equal("Test result: FAILURE", lines.Last(l => l.Length > 0));
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
        Assert.Contains(lines, l => l.StartsWith("report evtchn.upcall skipped (interrupt unresolved: required node or property missing at byte offset 0x"));
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

    /// <summary>A captured tree with its hypervisor node's interrupt replaced, written to a temporary file.</summary>
    private static string TreeWithUpcallPpi(string fixture, string from, uint ppi)
    {
        string dts = Tools.Run("dtc", "-q", "-I", "dtb", "-O", "dts", Fixture("xen", fixture));
        Assert.Contains(from, dts);
        string path = Path.Combine(Path.GetTempPath(), $"gueststub-plan-ppi{ppi}-{Guid.NewGuid():N}.dtb");
        File.WriteAllBytes(path, Tools.CompileSource(dts.Replace(from, $"interrupts = <0x01 0x{ppi:x2} 0xf08>;")));
        return path;
    }

    [Theory]
    [InlineData(15u)]
    [InlineData(4u)]
    public void A_dom0_tree_naming_another_upcall_PPI_gets_its_upcall_there(uint ppi)
    {
        // Real Xen raises the upcall on the PPI it wrote into the node (issue 21: PPI 31 used to time out).
        string path = TreeWithUpcallPpi("dom0.dtb", "interrupts = <0x01 0x00 0xf08>;", ppi);
        try
        {
            var (exit, stdout, stderr) = Plan(path, "--domu", Fixture("xen", "domu.dtb"));
            Assert.Equal("", stderr);
            Assert.Equal(0, exit);
            string[] dom0 = ReportLines(Sections(stdout)[0]);
            Assert.Contains($"report evtchn.ppi {16 + ppi}", dom0);
            Assert.Contains("report evtchn.upcall ok", dom0);
            Assert.Contains("report peer.1.evtchn ok", dom0);
            Assert.Contains("report status ok", dom0);
            Assert.Contains("report status ok", ReportLines(Sections(stdout)[1]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_domU_tree_naming_another_upcall_PPI_gets_its_upcall_there()
    {
        string path = TreeWithUpcallPpi("domu.dtb", "interrupts = <0x01 0x0f 0xf08>;", 6);
        try
        {
            var (exit, stdout, _) = Plan(Fixture("xen", "dom0.dtb"), "--domu", path);
            Assert.Equal(0, exit);
            string[] domU = ReportLines(Sections(stdout)[1]);
            Assert.Contains("report evtchn.ppi 22", domU);
            Assert.Contains("report evtchn.upcall ok", domU);
            Assert.Contains("report frontend.backend-reply ok", domU);
            Assert.Contains("report status ok", domU);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("4.17", "Xen 4.17.7 (Debian 12's xen-hypervisor-4.17-arm64): domctl interface version 0x15", "0x26805", "0x16005", "ok (-EINVAL)")]
    [InlineData("4.20", "Xen 4.20.4 (Debian 13's xen-hypervisor-4.20-arm64): domctl interface version 0x17", "0x66805", "0x56005", "ok (-ESRCH)")]
    [InlineData("4.21", "Xen 4.21.2 (xen.git RELEASE-4.21.2, the build in shared/xen): domctl interface version 0x17, XEN_DOMCTL_get_domain_state",
        "0x66805", "0x56005", "ok (-ESRCH)")]
    [InlineData("4.22", "Xen 4.22.0 (xen.git RELEASE-4.22.0): domctl interface version 0x18, XEN_DOMCTL_get_domain_state", "0x66805", "0x56005",
        "ok (-ESRCH)")]
    [InlineData("4.20.3", "Xen 4.20.3 (Xen 4.20.3): domctl interface version 0x17", "0x66805", "0x56005", "ok (-EINVAL)")]
    public void Each_modelled_release_is_planned_with_what_it_gives(string xen, string described, string dom0Features, string domUFeatures,
        string foreignSelf)
    {
        var (exit, stdout, stderr) = Plan(DomUBoot("--xen", xen));
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.StartsWith($"gueststub plan: simulated {described}", stdout);
        string series = string.Join('.', xen.Split('.').Take(2));
        Dictionary<int, string> sections = Sections(stdout);
        foreach (int domid in new[] { 0, 1, 2 })
        {
            string[] lines = ReportLines(sections[domid]);
            Assert.Contains($"report hypervisor xen-{series}", lines);
            Assert.Contains($"report xen.features {(domid == 0 ? dom0Features : domUFeatures)}", lines);
            Assert.Contains("report status ok", lines);
        }
        Assert.Contains($"report errpath.foreign-self {foreignSelf}", ReportLines(sections[0]));
        Assert.Contains("report domains.wait ok", ReportLines(sections[0]));
    }

    [Theory]
    [InlineData("4.19", "Xen 4.19 is not modelled by name")]
    [InlineData("four", "'four' is not a Xen release")]
    public void An_unmodelled_xen_is_a_usage_error(string xen, string message)
    {
        var (exit, _, stderr) = Plan(Fixture("xen", "dom0.dtb"), "--xen", xen);
        Assert.Equal(2, exit);
        Assert.StartsWith($"gueststub plan: --xen: {message}", stderr);
    }
}
