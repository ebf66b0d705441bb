using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// A boot judged the way Xen's own CI judges one (xen.git automation/scripts/console.exp): read
/// the console as it comes, wait for Xen's sign of life (BOOT_MSG), then for the pass lines, in
/// any order (LOG_MSG and PASSED); the end of the console first is "ERROR-EOF!". The pass lines
/// are each domain's XTF closing line, <c>Test result: SUCCESS</c>, as the console shows it:
/// dom0's bare, a domU's behind Xen's <c>(dN)</c>. Dom0 and two dom0less domUs pass that way on
/// every Xen the project supports: Debian's 4.17 and 4.20, and the 4.21.2 feature build.
/// </summary>
public class XenCiJudgementBootTests
{
    /// <summary>Xen's sign of life, as the CI's arm64 jobs wait for it.</summary>
    private const string BootMsg = @"\(XEN\) Xen version ";

    /// <summary>Each domain's pass line: what a CI job would put in LOG_MSG and PASSED.</summary>
    private static readonly string[] Passed = { @"^Test result: SUCCESS\r?$", @"^\(d1\) Test result: SUCCESS\r?$", @"^\(d2\) Test result: SUCCESS\r?$" };

    /// <summary>
    /// console.exp's judgement of <paramref name="console"/>: null when BOOT_MSG came and then
    /// every pass line (any order), else the error it ends with and what was still awaited.
    /// </summary>
    public static string? Judge(string console, string bootMsg, IReadOnlyList<string> passed)
    {
        string[] lines = console.Split('\n');
        int i = 0;
        while (i < lines.Length && !Regex.IsMatch(lines[i], bootMsg))
            i++;
        if (i == lines.Length)
            return $"ERROR-EOF! waiting for BOOT_MSG /{bootMsg}/";
        var awaited = new List<string>(passed);
        for (i++; i < lines.Length && awaited.Count > 0; i++)
            awaited.RemoveAll(p => Regex.IsMatch(lines[i], p));
        return awaited.Count == 0 ? null : $"ERROR-EOF! waiting for {string.Join(", ", awaited.Select(p => "/" + p + "/"))}";
    }

    [Theory]
    [InlineData("4.17")]
    [InlineData("4.20")]
    public void Dom0_and_two_domUs_pass_by_each_domains_closing_line_as_Xens_CI_judges(string release) => BootAndJudge(release, release);

    [FeatureXenFact]
    public void Dom0_and_two_domUs_pass_by_each_domains_closing_line_as_Xens_CI_judges_on_the_4_21_2_feature_build() =>
        BootAndJudge("4.21.2", FeatureXen.Path);

    private static void BootAndJudge(string release, string xen)
    {
        BootRun run = GuestStub.Launch.Running.Launcher.Run(
            new BootShape { DomUs = 2, Xen = xen, Timeout = TimeSpan.FromSeconds(120) }.Describe(Boots.Layout),
            RepoPaths.TempDirectory("xen-ci-" + release));

        Assert.True(Judge(run.Output, BootMsg, Passed) is null, $"{Judge(run.Output, BootMsg, Passed)}\n{run.Describe()}");
        // It is Xen of that release, and each domain's closing line is its verdict, as the
        // launcher reads it too.
        Assert.Matches(@"^xen-" + Regex.Escape(release[..4]) + "$", run.Report("hypervisor"));
        Assert.All(run.Domains, d => Assert.Equal("Test result: SUCCESS", d.Report.TestResult?.ToString()));
        Assert.True(run.Outcome.PoweredOff, run.Describe());
    }

    [Fact]
    public void The_judgement_fails_a_domain_that_skipped_and_a_console_without_Xens_banner()
    {
        string good = "(XEN) Xen version 4.17.6\n(d1) Test result: SUCCESS\r\n(d2) Test result: SUCCESS\nTest result: SUCCESS\n";
        Assert.Null(Judge(good, BootMsg, Passed));
        Assert.Equal(@"ERROR-EOF! waiting for /^\(d2\) Test result: SUCCESS\r?$/",
            Judge(good.Replace("(d2) Test result: SUCCESS", "(d2) Test result: SKIP", StringComparison.Ordinal), BootMsg, Passed));
        // A pass line before Xen's banner does not count: expect waits for the banner first.
        Assert.StartsWith("ERROR-EOF! waiting for /^Test result", Judge("Test result: SUCCESS\n" + good.Replace("\nTest result: SUCCESS", "", StringComparison.Ordinal), BootMsg, Passed));
        Assert.Equal($"ERROR-EOF! waiting for BOOT_MSG /{BootMsg}/", Judge("Test result: SUCCESS\n", BootMsg, Passed));
    }
}
