using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using GuestStub.Launch.Reports;
using GuestStub.Launch.Running;
using GuestStub.Tests.Shared;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>
/// The JUnit report of finished boots, as GitLab CI reads it: written from a boot the launcher
/// ran (a recorded real console replayed by a stand-in for QEMU, or a console made up to end
/// every way), validated against the JUnit schema (tests/schemas/junit.xsd) and read back.
/// </summary>
public class JUnitReportTests
{
    private static string Fixture(string name) => Path.Combine(RepoRoot.Location, "tests", "fixtures", "boots", name);

    private static BootRun Replay(string script, int domUs, double timeoutSeconds = 30) =>
        Launcher.Run(ScriptedBoot.Prepare(script, domUs, timeoutSeconds: timeoutSeconds, xenRelease: "4.21"));

    /// <summary>The report written to a file, validated, and loaded back.</summary>
    private static XDocument WriteValidated(params BootVerdicts[] boots)
    {
        string path = Path.Combine(Path.GetTempPath(), "gueststub-junit-" + Guid.NewGuid().ToString("N")[..8], "report.xml");
        try
        {
            JUnitReport.Write(path, boots);
            IReadOnlyList<string> problems = SchemaProblems(path);
            Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + File.ReadAllText(path));
            return XDocument.Load(path);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    /// <summary>What the schema finds wrong with the file at <paramref name="path"/>.</summary>
    private static IReadOnlyList<string> SchemaProblems(string path)
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(RepoRoot.Location, "tests", "schemas", "junit.xsd"));
        var problems = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using (XmlReader reader = XmlReader.Create(path, settings))
            while (reader.Read())
            {
            }
        return problems;
    }

    [Theory]
    [InlineData("<testsuites><testsuite name='s' tests='1'><testcase name='c'><skipped message='why'/></testcase></testsuite></testsuites>", "message")]
    [InlineData("<testsuites><testsuite name='s' tests='1'><testcase name='c'><system-out/><failure/></testcase></testsuite></testsuites>", "failure")]
    [InlineData("<testsuites><testsuite tests='1'/></testsuites>", "name")]
    public void The_schema_refuses_what_GitLabs_JUnit_form_does_not_have(string xml, string named)
    {
        string path = Path.Combine(Path.GetTempPath(), "gueststub-junit-bad-" + Guid.NewGuid().ToString("N")[..8] + ".xml");
        File.WriteAllText(path, xml);
        try
        {
            IReadOnlyList<string> problems = SchemaProblems(path);
            Assert.Contains(problems, p => p.Contains(named, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static XElement Case(XDocument report, string name) =>
        report.Descendants("testcase").SingleOrDefault(c => (string?)c.Attribute("name") == name)
        ?? throw new Xunit.Sdk.XunitException($"no testcase {name} in\n{report}");

    [Fact]
    public void A_recorded_dom0_and_two_domUs_boot_on_4_21_is_one_passing_case_per_domain_and_check()
    {
        BootRun run = Replay($"cat '{Fixture("xen-4.21-dom0-2domU.log")}'", domUs: 2);
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        BootVerdicts boot = BootVerdicts.From(run, "dom0+2domU-gicv3", "/work/shared/xen/xen-4.21.2-arm64");
        Assert.Equal("xen-4.21", boot.Xen);
        Assert.Equal("4.21.2 (debug build)", boot.XenBuild);

        XDocument report = WriteValidated(boot);
        XElement suite = Assert.Single(report.Root!.Elements("testsuite"));
        Assert.Equal("xen-4.21/dom0+2domU-gicv3", (string?)suite.Attribute("name"));
        List<XElement> cases = suite.Elements("testcase").ToList();
        // Every check line of every domain, once each, and nothing else: the boot passed.
        int checkLines = File.ReadLines(Fixture("xen-4.21-dom0-2domU.log")).Count(l => l.Contains("report check.", StringComparison.Ordinal));
        Assert.Equal(checkLines, cases.Count);
        Assert.Equal(cases.Count, int.Parse((string)suite.Attribute("tests")!));
        Assert.Equal(("0", "0", "0"), ((string?)suite.Attribute("failures"), (string?)suite.Attribute("errors"), (string?)suite.Attribute("skipped")));
        Assert.All(cases, c => Assert.DoesNotContain(c.Elements(), e => e.Name != "system-out"));
        Assert.Equal(cases.Count, cases.Select(c => (string?)c.Attribute("name")).Distinct().Count());
        foreach (string domain in new[] { "dom0", "d1", "d2" })
            Assert.Contains(cases, c => ((string)c.Attribute("name")!).StartsWith($"xen-4.21/dom0+2domU-gicv3/{domain}/", StringComparison.Ordinal));

        // A case quotes its stage's lines: dom0's backend served peer 1 before its verdicts.
        string grantMap = Case(report, "xen-4.21/dom0+2domU-gicv3/dom0/peers.grant-map").Element("system-out")!.Value;
        Assert.Contains("GuestStub: peer 1: page mapped read-write and read-only", grantMap, StringComparison.Ordinal);
        Assert.EndsWith("report check.peers.grant-map SUCCESS\n", grantMap, StringComparison.Ordinal);
        string frontend = Case(report, "xen-4.21/dom0+2domU-gicv3/d2/frontend.backend-reply").Element("system-out")!.Value;
        Assert.Contains("report frontend.backend-reply ok", frontend, StringComparison.Ordinal);
        Assert.DoesNotContain("report check.frontend.publish", frontend, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_failure_and_a_domain_that_never_finished_are_skipped_failure_and_error_each_with_its_lines()
    {
        // Dom0 ends with a SKIP and a FAILURE; d1 stops halfway; QEMU never exits, so the
        // launcher's bound stops it.
        string console = string.Join("\n",
            "(XEN) Xen version 4.17.6-pre (Debian 4.17.5+72-g01140da4e8-1) (pkg-xen-devel@lists.alioth.debian.org) debug=n",
            "GuestStub 0.1.0: bare-metal Xen-on-Arm64 guest in C#",
            "report hypervisor xen-4.17",
            "report xen.features 0x26805",
            "report check.xen.identity SUCCESS",
            "GuestStub: peers: 0 found",
            "report peers.found 0",
            "report check.peers.discovery SUCCESS",
            "report check.peers.grant-map SKIP no other domain found",
            "GuestStub: extended regions: region 1 is 1 MiB, \u001b[1msmaller\u001b[0m than 64 MiB",
            "report check.ext-regions.registration FAILURE region 0x40000000-0x40100000 is smaller than 64 MiB",
            "Test result: FAILURE",
            "(d1) report hypervisor xen-4.17",
            "(d1) report check.xen.identity SUCCESS",
            "(d1) GuestStub: frontend: waiting for dom0");
        BootRun run = Replay($"printf '%s\\n' '{console.Replace("'", "'\\''", StringComparison.Ordinal).Replace("\n", "' '", StringComparison.Ordinal)}'; exec sleep 30",
            domUs: 1, timeoutSeconds: 1);
        Assert.Equal(BootEnd.TimedOut, run.Outcome.End);
        XDocument report = WriteValidated(BootVerdicts.From(run, "dom0+1domU-gicv3", "4.17"));

        XElement skipped = Case(report, "xen-4.17/dom0+1domU-gicv3/dom0/peers.grant-map").Element("skipped")!;
        Assert.StartsWith("SKIP no other domain found\n", skipped.Value, StringComparison.Ordinal);
        Assert.Contains("GuestStub: peers: 0 found", skipped.Value, StringComparison.Ordinal);

        XElement failure = Case(report, "xen-4.17/dom0+1domU-gicv3/dom0/ext-regions.registration").Element("failure")!;
        Assert.Equal("region 0x40000000-0x40100000 is smaller than 64 MiB", (string?)failure.Attribute("message"));
        Assert.Equal("FAILURE", (string?)failure.Attribute("type"));
        // The console's escape sequences cannot be XML: they are written as \x1b.
        Assert.Contains("region 1 is 1 MiB, \\x1b[1msmaller\\x1b[0m than 64 MiB", failure.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("peers: 0 found", failure.Value, StringComparison.Ordinal);

        // d1 never printed its closing line: an error naming how the boot ended, with its console.
        XElement unfinished = Case(report, "xen-4.17/dom0+1domU-gicv3/d1/test-result").Element("error")!;
        Assert.Equal("no 'Test result:' line: QEMU did not exit within 1s (stopped by the timeout)", (string?)unfinished.Attribute("message"));
        Assert.Contains("GuestStub: frontend: waiting for dom0", unfinished.Value, StringComparison.Ordinal);
        XElement machine = Case(report, "xen-4.17/dom0+1domU-gicv3/machine/power-off").Element("error")!;
        Assert.Equal("QEMU did not exit within 1s (stopped by the timeout)", (string?)machine.Attribute("message"));
        Assert.Null(report.Descendants("testcase").FirstOrDefault(c => ((string)c.Attribute("name")!).EndsWith("/dom0/test-result", StringComparison.Ordinal)));

        XElement suite = report.Root!.Element("testsuite")!;
        Assert.Equal(("1", "2", "1"), ((string?)suite.Attribute("failures"), (string?)suite.Attribute("errors"), (string?)suite.Attribute("skipped")));
        Assert.Equal(("1", "2"), ((string?)report.Root.Attribute("failures"), (string?)report.Root.Attribute("errors")));
    }

    [Fact]
    public void A_boot_QEMU_refused_names_Xen_from_the_choice_and_is_an_error_per_domain_and_for_the_machine()
    {
        BootRun run = Replay("echo 'qemu-system-aarch64: -m 99T: cannot set up guest memory' >&2; exit 1", domUs: 0);
        BootVerdicts boot = BootVerdicts.From(run, "dom0-gicv3", "/somewhere/xen-4.99-arm64");
        Assert.Equal("xen-unknown(xen-4.99-arm64)", boot.Xen);
        XDocument report = WriteValidated(boot);
        Assert.Equal("QEMU exited with status 1",
            (string?)Case(report, "xen-unknown(xen-4.99-arm64)/dom0-gicv3/machine/power-off").Element("error")!.Attribute("message"));
        Assert.Contains("cannot set up guest memory", Case(report, "xen-unknown(xen-4.99-arm64)/dom0-gicv3/machine/power-off").Value, StringComparison.Ordinal);
        Assert.Equal("no 'Test result:' line: QEMU exited with status 1",
            (string?)Case(report, "xen-unknown(xen-4.99-arm64)/dom0-gicv3/dom0/test-result").Element("error")!.Attribute("message"));
    }

    [Fact]
    public void Several_boots_are_one_suite_each_and_a_boot_never_prepared_is_one_error()
    {
        BootRun run = Replay($"cat '{Fixture("xen-4.21-dom0-2domU.log")}'", domUs: 2);
        XDocument report = WriteValidated(
            BootVerdicts.From(run, "dom0+2domU-gicv3", "4.21"),
            BootVerdicts.NotBooted("4.20", "dom0-gicv3", "Xen 4.20 is not unpacked: run ./build.sh setup"));
        Assert.Equal(new[] { "xen-4.21/dom0+2domU-gicv3", "4.20/dom0-gicv3" }, report.Root!.Elements("testsuite").Select(s => (string?)s.Attribute("name")));
        Assert.Equal("not booted: Xen 4.20 is not unpacked: run ./build.sh setup",
            (string?)Case(report, "4.20/dom0-gicv3/machine/power-off").Element("error")!.Attribute("message"));
        Assert.Equal("1", (string?)report.Root.Attribute("errors"));
    }

    [Fact]
    public void A_stage_quotes_the_lines_after_the_previous_block_of_verdicts()
    {
        string[] lines =
        {
            "banner", "report check.a.one SUCCESS", "report check.a.two SUCCESS",
            "stage b says", "report b.key v", "report check.b.one SUCCESS", "report check.b.two SKIP why",
        };
        Assert.Equal(new[] { "stage b says", "report b.key v", "report check.b.two SKIP why" }, BootVerdicts.StageLines(lines, 6));
        Assert.Equal(new[] { "banner", "report check.a.two SUCCESS" }, BootVerdicts.StageLines(lines, 2));
    }
}
