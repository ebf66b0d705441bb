using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 5 under real Xen 4.17, as dom0 with two memory sizes (the dom0less domU is checked in
/// XenGrantTableBootTests' domU boots): the ext.region lines equal Xen's "dN: extended region K"
/// log lines in order, holes and clamp follow from them, a scratch page carries a real grant
/// mapping, teardown returns everything. The 1 GiB boot's report is the golden file that
/// `gueststub plan` is held to (tests/fixtures/reports, PlanCommandTests).
/// </summary>
public class ExtendedRegionBootTests
{
    [Fact]
    public void Dom0_1G_reports_xens_regions_proves_a_scratch_page_and_matches_the_golden_report()
    {
        BootRun run = Boots.XenDom0(new BootShape { Memory = MemorySize.Gibibytes(1), Dom0Memory = MemorySize.Mebibytes(128) });
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        List<(ulong Start, ulong End)> regions = ExtendedRegionChecks.RegionsMatchXensLog(run, 0, run.GuestLines());
        Assert.Equal(2, regions.Count);
        Assert.Equal($"0x{regions[0].Start:x}-0x{regions[1].End:x}", run.Report("ext.resource"));
        Assert.Equal($"0x{regions[0].End:x}-0x{regions[1].Start:x}", run.Report("ext.hole")); // dom0's RAM
        Assert.Equal("0x0-0x8000000000", run.Report("ext.clamp"));
        Assert.Equal("ok", run.Report("scratch.selftest"));
        Assert.Equal("ok", run.Report("teardown"));
        Assert.Equal("ok", run.Report("status"));
        string[] golden = ExtendedRegionChecks.Golden("xen-dom0-1g.report");
        Assert.Equal(golden, GuestStub.Tests.Reports.GoldenReport.Normalise(golden, ExtendedRegionChecks.ReportLines(run.GuestLines())));
    }

    [Fact]
    public void Dom0_4G_gets_a_region_above_4GiB_and_its_scratch_self_test_passes()
    {
        BootRun run = Boots.XenDom0(new BootShape { Memory = MemorySize.Gibibytes(4), Dom0Memory = MemorySize.Mebibytes(512) });
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        List<(ulong Start, ulong End)> regions = ExtendedRegionChecks.RegionsMatchXensLog(run, 0, run.GuestLines());
        Assert.Contains(regions, r => r.End > 1UL << 32);
        Assert.Equal($"0x{regions[0].Start:x}-0x{regions[^1].End:x}", run.Report("ext.resource"));
        Assert.Equal("ok", run.Report("scratch.selftest"));
        Assert.Equal("ok", run.Report("teardown"));
        Assert.Equal("ok", run.Report("status"));
    }

    private static readonly string[] Rules = { "ext-regions.alignment", "ext-regions.size", "ext-regions.disjoint", "ext-regions.usable" };

    /// <summary>
    /// Issue 22's extended-region conformance on the Xen the suite is told to use
    /// (GUESTSTUB_XEN: 4.17 by default, 4.20, or the path of the 4.21.2 build): dom0 and two
    /// dom0less domUs each end every rule in SUCCESS (2 MiB aligned, at least 64 MiB, clear of
    /// everything the tree and the stub's Xen pages hold, first and last page mapped and read
    /// back), on the very regions Xen logged for it; the free space it reports lies outside them.
    /// </summary>
    [Fact]
    public void Every_extended_region_rule_passes_in_dom0_and_in_each_domU()
    {
        BootRun run = Boots.XenWithDomU(new BootShape { DomUs = 2, Timeout = TimeSpan.FromSeconds(120) });
        run.AssertPoweredOff();
        foreach (int domid in new[] { 0, 1, 2 })
        {
            var report = run.Domain(domid).Report;
            foreach (string rule in Rules)
            {
                var verdict = report.Checks.LastOrDefault(c => c.Name == rule);
                Assert.True(verdict is { Verdict: GuestStub.Launch.Reports.Verdict.Success }, $"d{domid} {rule}: {verdict}\n{run.Describe()}");
            }
            List<(ulong Start, ulong End)> regions = ExtendedRegionChecks.XenRegions(run, domid);
            Assert.NotEmpty(regions);
            Assert.Equal(regions.Select(r => $"0x{r.Start:x}-0x{r.End:x}"), report.Values("ext.region"));
            var free = report.Values("ext.unadvertised").Select(v => v.Split('-')).Select(p => (Convert.ToUInt64(p[0], 16), Convert.ToUInt64(p[1], 16))).ToList();
            Assert.NotEmpty(free);
            Assert.DoesNotContain(free, f => regions.Any(r => f.Item1 < r.End && r.Start < f.Item2));
            Assert.Matches("^0x[0-9a-f]+ admissible 0x[0-9a-f]+$", report.Value("ext.unadvertised.total"));
            Assert.Equal(GuestStub.Launch.Reports.Verdict.Success, report.TestResult?.Verdict);
        }
    }
}

/// <summary>Comparisons of the guest's report with Xen's own log.</summary>
internal static class ExtendedRegionChecks
{
    /// <summary>Xen's "dN: extended region K: 0xSTART->0xEND" lines for domain N, in order.</summary>
    public static List<(ulong Start, ulong End)> XenRegions(BootRun run, int domain) =>
        run.XenLines.Select(l => Regex.Match(l, $@"^d{domain}: extended region (\d+): 0x([0-9a-f]+)->0x([0-9a-f]+)")).Where(m => m.Success)
            .Select(m => (Convert.ToUInt64(m.Groups[2].Value, 16), Convert.ToUInt64(m.Groups[3].Value, 16))).ToList();

    /// <summary>Asserts the ext.region lines among <paramref name="guestLines"/> are Xen's log
    /// lines for the domain, in order and with nothing rejected; returns the regions.</summary>
    public static List<(ulong Start, ulong End)> RegionsMatchXensLog(BootRun run, int domain, IEnumerable<string> guestLines)
    {
        List<(ulong Start, ulong End)> logged = XenRegions(run, domain);
        Assert.True(logged.Count > 0, $"Xen logged no extended region for d{domain}\n{run.Describe()}");
        string[] lines = ReportLines(guestLines);
        Assert.Equal(logged.Select(r => $"report ext.region 0x{r.Start:x}-0x{r.End:x}"), lines.Where(l => l.StartsWith("report ext.region ")));
        Assert.DoesNotContain(lines, l => l.StartsWith("report ext.rejected "));
        // Holes: the gaps between consecutive regions, below the clamp.
        ulong clamp = 1UL << 39;
        var holes = logged.Zip(logged.Skip(1), (a, b) => (a.End, b.Start)).Where(g => g.End < g.Start && g.End < clamp)
            .Select(g => $"report ext.hole 0x{g.End:x}-0x{Math.Min(g.Start, clamp):x}");
        Assert.Equal(holes, lines.Where(l => l.StartsWith("report ext.hole ")));
        return logged;
    }

    /// <summary>The domU's lines, without Xen's "(d1) " prefix.</summary>
    public static IEnumerable<string> DomULines(BootRun run) => run.Domain(1).Lines;

    /// <summary>The report lines among <paramref name="lines"/>, as the launcher's parser reads them.</summary>
    public static string[] ReportLines(IEnumerable<string> lines) => GuestStub.Tests.Reports.GoldenReport.ReportLines(string.Join("\n", lines));

    /// <summary>A golden report (tests/fixtures/reports), shared with the CLI's plan tests.</summary>
    public static string[] Golden(string name) =>
        ReportLines(File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "fixtures", "reports", name)));
}
