using System.Linq;
using GuestStub.Launch.Reports;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>The one parser of report and verdict lines: every answer it can give.</summary>
public class DomainReportTests
{
    private static DomainReport Parse(params string[] lines) => DomainReport.Parse(lines);

    [Fact]
    public void Report_lines_give_key_and_value_and_other_lines_are_skipped()
    {
        DomainReport r = Parse("GuestStub: event channels: upcall on PPI 16", "report evtchn.ppi 16",
            "report status error XENMEM_add_to_physmap(grant_table) idx=61 gfn=0x4023d: -ENOMEM (-12)", "reporting nothing");
        Assert.Equal(new[] { new ReportEntry("evtchn.ppi", "16"), new ReportEntry("status", "error XENMEM_add_to_physmap(grant_table) idx=61 gfn=0x4023d: -ENOMEM (-12)") }, r.Entries);
        Assert.Equal("16", r.Value("evtchn.ppi"));
        Assert.Null(r.Value("absent"));
        Assert.Empty(r.Problems);
        Assert.Equal("report evtchn.ppi 16", r.Entries[0].ToString());
    }

    [Fact]
    public void A_key_that_repeats_is_refused_as_a_single_value_and_given_whole_otherwise()
    {
        DomainReport r = Parse("report ext.region 0x1-0x2", "report status ok", "report ext.region 0x3-0x4");
        Assert.Equal("report ext.region appears 2 times, not once", Assert.Throws<ReportKeyRepeatedException>(() => r.Value("ext.region")).Message);
        Assert.Equal(new[] { "0x1-0x2", "0x3-0x4" }, r.Values("ext.region"));
        Assert.Equal("0x3-0x4", r.LastValue("ext.region"));
        Assert.Empty(r.Problems);
    }

    [Theory]
    [InlineData("report", "a report line without key or value")]
    [InlineData("report ", "a report line without key or value")]
    [InlineData("report status", "report status has no value")]
    [InlineData("report status ", "report status has no value")]
    [InlineData("report  status ok", "a report line whose key is empty (two spaces?)")]
    [InlineData("report Status ok", "'Status' is not a report key (lowercase words of [a-z0-9_-] joined by dots)")]
    [InlineData("report .status ok", "'.status' is not a report key (lowercase words of [a-z0-9_-] joined by dots)")]
    [InlineData("report a..b ok", "'a..b' is not a report key (lowercase words of [a-z0-9_-] joined by dots)")]
    public void A_malformed_report_line_is_named_and_kept_out_of_the_entries(string line, string why)
    {
        DomainReport r = Parse("report status ok", line);
        Assert.Equal(new[] { new ReportEntry("status", "ok") }, r.Entries);
        ReportProblem problem = Assert.Single(r.Problems);
        Assert.Equal((1, line, why), (problem.LineIndex, problem.Line, problem.Why));
    }

    [Fact]
    public void Verdict_lines_give_each_check_its_verdict_and_reason()
    {
        DomainReport r = Parse(
            "report check.ext-regions.alignment SUCCESS",
            "report check.grant.setup SUCCESS mapped at region 0",
            "report check.evtchn.upcall SKIP no hypervisor node",
            "report check.peers.foreign-map ERROR XENMEM_add_to_physmap_batch: -ENOSYS (-38)",
            "report check.ext-regions.size FAILURE region 1 is 2 MiB, Xen's rule is at least 64 MiB",
            "Test result: FAILURE");
        Assert.Equal(new[]
        {
            new CheckVerdict("ext-regions.alignment", Verdict.Success, null),
            new CheckVerdict("grant.setup", Verdict.Success, "mapped at region 0"),
            new CheckVerdict("evtchn.upcall", Verdict.Skip, "no hypervisor node"),
            new CheckVerdict("peers.foreign-map", Verdict.Error, "XENMEM_add_to_physmap_batch: -ENOSYS (-38)"),
            new CheckVerdict("ext-regions.size", Verdict.Failure, "region 1 is 2 MiB, Xen's rule is at least 64 MiB"),
        }, r.Checks);
        Assert.Equal("ext-regions", r.Checks[0].Category);
        Assert.Equal(new TestResult(Verdict.Failure, false), r.TestResult);
        Assert.Equal(Verdict.Failure, r.Verdict);
        Assert.Empty(r.Problems);
        // Verdict lines are report lines too.
        Assert.Equal("SKIP no hypervisor node", r.Value("check.evtchn.upcall"));
    }

    [Theory]
    [InlineData("SUCCESS", Verdict.Success, false)]
    [InlineData("SUCCESS with warnings", Verdict.Success, true)]
    [InlineData("SKIP", Verdict.Skip, false)]
    [InlineData("ERROR", Verdict.Error, false)]
    [InlineData("FAILURE", Verdict.Failure, false)]
    public void Each_closing_line_XTF_prints_is_read(string text, Verdict verdict, bool warnings)
    {
        DomainReport r = Parse("Test result: " + text);
        Assert.Equal(new TestResult(verdict, warnings), r.TestResult);
        Assert.Equal(verdict, r.Verdict);
        Assert.Equal("Test result: " + text, r.TestResult!.ToString());
        Assert.Empty(r.Problems);
    }

    [Fact]
    public void A_domain_without_a_closing_line_is_an_error()
    {
        DomainReport r = Parse("report check.grant.setup SUCCESS", "report status ok");
        Assert.Null(r.TestResult);
        Assert.Equal(Verdict.Error, r.Verdict);
        Assert.Equal("no 'Test result:' line: the domain did not finish or wrote no verdict", r.VerdictReason);
    }

    [Fact]
    public void The_worst_check_wins_over_a_closing_line_that_says_better_and_the_contradiction_is_named()
    {
        DomainReport r = Parse("report check.grant.setup SUCCESS", "report check.grant.map SKIP no peer", "report check.evtchn.upcall FAILURE no upcall within 100 ms", "Test result: SUCCESS");
        Assert.Equal(Verdict.Failure, r.Verdict);
        Assert.Equal("Test result: SUCCESS, but report check.evtchn.upcall FAILURE no upcall within 100 ms", r.VerdictReason);
        Assert.Equal("the worst check is FAILURE, not SUCCESS", Assert.Single(r.Problems).Why);
    }

    [Fact]
    public void Skip_wins_over_success_and_error_over_skip()
    {
        Assert.Equal(Verdict.Skip, Parse("report check.a.b SUCCESS", "report check.a.c SKIP why", "Test result: SKIP").Verdict);
        Assert.Equal(Verdict.Error, Parse("report check.a.b ERROR why", "report check.a.c SKIP why", "Test result: ERROR").Verdict);
    }

    [Theory]
    [InlineData("report check.grant.setup SKIP", "SKIP without its reason")]
    [InlineData("report check.grant.setup FAILURE ", "FAILURE without its reason")]
    [InlineData("report check.grant.setup ERROR", "ERROR without its reason")]
    [InlineData("report check.grant.setup PASS", "'PASS' is not a verdict (SUCCESS, SKIP, ERROR or FAILURE)")]
    [InlineData("report check.grant.setup success", "'success' is not a verdict (SUCCESS, SKIP, ERROR or FAILURE)")]
    [InlineData("report check.setup SUCCESS", "'setup' is not a check name (<category>.<check>, [a-z0-9-] words joined by dots)")]
    [InlineData("report check.grant.set_up SUCCESS", "'grant.set_up' is not a check name (<category>.<check>, [a-z0-9-] words joined by dots)")]
    public void A_malformed_verdict_line_is_named_and_counts_as_an_error(string line, string why)
    {
        DomainReport r = Parse(line, "Test result: SUCCESS");
        Assert.Equal(why, r.Problems[0].Why);
        Assert.Equal(Verdict.Error, Assert.Single(r.Checks).Verdict);
        Assert.Equal(Verdict.Error, r.Verdict);
    }

    [Theory]
    [InlineData("Test result: PASS")]
    [InlineData("Test result: SKIP with warnings")]
    [InlineData("Test result: ")]
    public void A_closing_line_XTF_never_prints_is_an_error(string line)
    {
        DomainReport r = Parse(line);
        Assert.Equal(Verdict.Error, r.Verdict);
        Assert.StartsWith($"'{line["Test result: ".Length..]}' is not a test result", Assert.Single(r.Problems).Why);
    }

    [Fact]
    public void A_check_after_the_closing_line_is_named()
    {
        DomainReport r = Parse("Test result: SUCCESS", "report check.grant.setup SUCCESS");
        Assert.Equal("check.grant.setup comes after the closing 'Test result: SUCCESS' line", Assert.Single(r.Problems).Why);
    }

    [Fact]
    public void Carriage_returns_are_not_part_of_a_value()
    {
        Assert.Equal("ok", Parse("report status ok\r").Value("status"));
        Assert.Equal("ok", DomainReport.Parse("report status ok\r\nreport teardown ok\r\n").Value("status"));
    }
}
