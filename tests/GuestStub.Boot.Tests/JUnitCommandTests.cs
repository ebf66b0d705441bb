using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// <c>gueststub run --junit FILE</c> as a user types it: dom0 booted alone, so the checks that
/// need a peer end SKIP, and the file a CI picks up files each check of the boot with its verdict.
/// </summary>
public class JUnitCommandTests
{
    [Fact]
    public void Run_writes_one_testcase_per_check_and_dom0_alone_skips_the_checks_that_need_a_peer()
    {
        string dir = RepoPaths.TempDirectory("junit");
        string file = Path.Combine(dir, "report.xml");
        var (code, output) = ToolRunner.Run("dotnet", RepoPaths.Cli, "run", "--xen", RepoPaths.XenChoice, "--junit", file);
        Assert.True(code == 0, output);
        XDocument report = XDocument.Load(file);
        XElement suite = Assert.Single(report.Root!.Elements("testsuite"));
        string xen = "xen-" + output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("report hypervisor xen-", StringComparison.Ordinal))["report hypervisor xen-".Length..];
        Assert.Equal($"{xen}/dom0-gicv3", (string?)suite.Attribute("name"));
        var cases = suite.Elements("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        int checkLines = output.Split('\n').Count(l => l.StartsWith("report check.", StringComparison.Ordinal));
        Assert.Equal(checkLines, cases.Count);

        Assert.NotNull(cases[$"{xen}/dom0-gicv3/dom0/grant.setup"].Element("system-out"));
        XElement skipped = cases[$"{xen}/dom0-gicv3/dom0/peers.grant-map"].Element("skipped")!;
        Assert.StartsWith("SKIP no other domain found\n", skipped.Value, StringComparison.Ordinal);
        Assert.Contains("GuestStub: peers: 0 found", skipped.Value, StringComparison.Ordinal);
        Assert.Equal(cases.Values.Count(c => c.Element("skipped") is not null).ToString(System.Globalization.CultureInfo.InvariantCulture),
            (string?)suite.Attribute("skipped"));
        Assert.Equal(("0", "0"), ((string?)suite.Attribute("failures"), (string?)suite.Attribute("errors")));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void A_boot_that_cannot_be_prepared_still_leaves_the_CI_a_file_saying_why()
    {
        string dir = RepoPaths.TempDirectory("junit-not-booted");
        string file = Path.Combine(dir, "report.xml");
        string xen = Path.Combine(dir, "no-such-xen");
        var (code, output) = ToolRunner.Run("dotnet", RepoPaths.Cli, "run", "--xen", xen, "--junit", file);
        Assert.True(code == 1, output);
        XElement suite = Assert.Single(XDocument.Load(file).Root!.Elements("testsuite"));
        XElement error = Assert.Single(suite.Elements("testcase")).Element("error")!;
        Assert.Contains(xen, (string?)error.Attribute("message"), StringComparison.Ordinal);
        Assert.Equal("1", (string?)suite.Attribute("errors"));
        Directory.Delete(dir, recursive: true);
    }
}
