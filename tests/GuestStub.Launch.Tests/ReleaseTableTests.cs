using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using GuestStub.Launch.Matrix;
using GuestStub.Launch.Reports;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>
/// The release table, "what each Xen gives a guest", from boots' verdicts (no QEMU): one row per
/// check, one column per release and shape, each cell the worst verdict linking to a log that
/// shows it, the reasons below, and the XENFEAT bits each release gave dom0 and the domUs.
/// </summary>
public class ReleaseTableTests
{
    private static CheckCase C(string domain, string check, Verdict verdict = Verdict.Success, string? reason = null) =>
        new(domain, check, verdict, reason, new[] { $"report check.{check} {VerdictText.Name(verdict)}" });

    private static ReleaseTableBoot Boot(string release, string column, string log, string dom0Features, string? domUFeatures, params CheckCase[] cases)
    {
        var features = new Dictionary<string, string> { ["dom0"] = dom0Features };
        if (domUFeatures is not null)
            features["d1"] = features["d2"] = domUFeatures;
        // Dom0's answer to a foreign map of itself changed between the releases; its grant
        // frames did not; its latency always differs and is never compared.
        var reports = new Dictionary<string, IReadOnlyList<ReportEntry>>
        {
            ["dom0"] = new[]
            {
                new ReportEntry("grant.max_nr_frames", "64"),
                new ReportEntry("errpath.foreign-self", release == "4.17" ? "ok (-EINVAL)" : "ok (-ESRCH)"),
                new ReportEntry("evtchn.upcall.latency_ticks", log.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new ReportEntry("check.xen.identity", "SUCCESS"),
            },
        };
        return new ReleaseTableBoot(release, column,
            new BootVerdicts("xen-" + release, column, cases) { Features = features, XenBuild = release + ".9", Reports = reports }, log);
    }

    /// <summary>Two releases; on each, two dom0 boots and one boot of dom0 and two domUs.</summary>
    private static ReleaseTable Table() => new(new[]
    {
        Boot("4.17", "dom0", "logs/4.17/a.log", "0x26805", null, C("dom0", "xen.identity"), C("dom0", "grant.setup")),
        Boot("4.17", "dom0", "logs/4.17/b.log", "0x26805", null, C("dom0", "xen.identity"),
            C("dom0", "grant.setup", Verdict.Failure, "GNTTABOP_query_size: -ENOSYS (-38)")),
        Boot("4.17", "dom0+2domU-gicv3", "logs/4.17/c.log", "0x26805", "0x16005",
            C("dom0", "xen.identity"), C("dom0", "peers.grant-map"), C("d1", "xen.identity"), C("d1", "frontend.publish"),
            C("d2", "xen.identity"), C("d2", "frontend.publish")),
        Boot("4.21", "dom0", "logs/4.21/a.log", "0x66805", null, C("dom0", "xen.identity"), C("dom0", "grant.setup")),
        Boot("4.21", "dom0", "logs/4.21/b.log", "0x66805", null, C("dom0", "xen.identity"), C("dom0", "grant.setup")),
        Boot("4.21", "dom0+2domU-gicv3", "logs/4.21/c.log", "0x66805", "0x56005",
            C("dom0", "xen.identity"), C("dom0", "peers.grant-map"), C("d1", "xen.identity"),
            C("d1", "frontend.publish", Verdict.Skip, "no dom0 <to publish to> & so on"),
            C("d2", "xen.identity"), C("d2", "frontend.publish")),
    }, "GuestStub: what each Xen gives a guest", "matrix: 5/6 ok (0 min 42 s)");

    [Fact]
    public void Rows_are_checks_and_columns_are_release_and_shape_in_the_order_they_ran()
    {
        ReleaseTable table = Table();
        Assert.Equal(new[] { "xen.identity", "grant.setup", "peers.grant-map", "frontend.publish" }, table.Checks);
        Assert.Equal(new[] { ("4.17", "dom0"), ("4.17", "dom0+2domU-gicv3"), ("4.21", "dom0"), ("4.21", "dom0+2domU-gicv3") }, table.Columns);
        Assert.Equal("xen-4.21 (banner: Xen 4.21.9)", table.ReleaseIdentity("4.21"));
    }

    [Fact]
    public void A_cell_is_the_worst_verdict_of_its_boots_and_domains_linking_to_a_log_that_shows_it()
    {
        ReleaseTable table = Table();
        ReleaseTable.Cell failed = table.CellOf("4.17", "dom0", "grant.setup");
        Assert.Equal(("FAILURE (1 of 2)", "logs/4.17/b.log"), (failed.Text, failed.Log));
        ReleaseTable.Cell passed = table.CellOf("4.17", "dom0+2domU-gicv3", "xen.identity");
        Assert.Equal(("SUCCESS", "logs/4.17/c.log", 3), (passed.Text, passed.Log, passed.Total));
        ReleaseTable.Cell skipped = table.CellOf("4.21", "dom0+2domU-gicv3", "frontend.publish");
        Assert.Equal("SKIP (1 of 2)", skipped.Text);
        // A check those boots never ran: not a verdict.
        Assert.Equal((ReleaseTable.NotRun, (string?)null), (table.CellOf("4.21", "dom0", "frontend.publish").Text, table.CellOf("4.21", "dom0", "frontend.publish").Log));
    }

    [Fact]
    public void The_markdown_is_a_table_of_linked_verdicts_with_the_reasons_and_the_features_below()
    {
        string md = Table().Markdown();
        string[] lines = md.Split('\n');
        Assert.Contains("| check | 4.17 dom0 (2 boots) | 4.17 dom0+2domU-gicv3 | 4.21 dom0 (2 boots) | 4.21 dom0+2domU-gicv3 |", lines);
        Assert.Contains("| grant.setup | [SUCCESS](logs/4.17/a.log) | - | [SUCCESS](logs/4.21/a.log) | - |".Replace("[SUCCESS](logs/4.17/a.log)", "[FAILURE (1 of 2)](logs/4.17/b.log)", StringComparison.Ordinal), lines);
        Assert.Contains("`matrix: 5/6 ok (0 min 42 s)`", lines);
        Assert.Contains("- 4.17 dom0 dom0 grant.setup: FAILURE GNTTABOP\\_query\\_size: -ENOSYS (-38) (1 of 2)", lines);
        Assert.Contains("- 4.21 dom0+2domU-gicv3 d1 frontend.publish: SKIP no dom0 <to publish to> & so on (1 of 2)", lines);
        // What differs between the releases' reports, per shape and kind of domain.
        Assert.Contains("| shape | domain | key | 4.17 | 4.21 |", lines);
        Assert.Contains("| dom0 | dom0 | errpath.foreign-self | ok (-EINVAL) | ok (-ESRCH) |", lines);
        Assert.Contains("| dom0+2domU-gicv3 | dom0 | errpath.foreign-self | ok (-EINVAL) | ok (-ESRCH) |", lines);
        Assert.DoesNotContain(lines, l => l.Contains("max\\_nr\\_frames", StringComparison.Ordinal) || l.Contains("latency", StringComparison.Ordinal));
        // XENFEAT: bit 18 is given by 4.21 only, bit 11 to dom0 only, bit 16 to the domUs only.
        Assert.Contains("| bit | 4.17 dom0 | 4.17 domU | 4.21 dom0 | 4.21 domU |", lines);
        Assert.Contains("| submap | 0x26805 | 0x16005 | 0x66805 | 0x56005 |", lines);
        Assert.Contains("| 18 XENFEAT\\_runstate\\_phys\\_area | no | no | yes | yes |", lines);
        Assert.Contains("| 11 XENFEAT\\_dom0 | yes | no | yes | no |", lines);
        Assert.Contains("| 16 XENFEAT\\_not\\_direct\\_mapped | no | yes | no | yes |", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("| 3 ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_html_page_parses_and_each_cell_links_its_log_with_the_text_escaped()
    {
        string html = Table().Html();
        Assert.StartsWith("<!DOCTYPE html>\n", html, StringComparison.Ordinal);
        // Every element closed, no <td /> (HTML would read that as an opening tag only).
        Assert.DoesNotContain("/>", html.Replace("<meta charset=\"utf-8\" />", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        XDocument page = XDocument.Load(reader);
        XElement table = page.Descendants("table").First();
        List<XElement> rows = table.Element("tbody")!.Elements("tr").ToList();
        Assert.Equal(4, rows.Count);
        XElement grant = rows.Single(r => r.Element("th")!.Value == "grant.setup");
        XElement failed = grant.Elements("td").First();
        Assert.Equal(("failure", "logs/4.17/b.log", "FAILURE (1 of 2)"), ((string?)failed.Attribute("class"), (string?)failed.Element("a")!.Attribute("href"), failed.Value.Trim()));
        Assert.Equal("dom0: SUCCESS; dom0: FAILURE GNTTABOP_query_size: -ENOSYS (-38)", (string?)failed.Attribute("title"));
        Assert.Equal(new[] { "4.17", "4.21" }, table.Element("thead")!.Elements("tr").First().Elements("th").Skip(1).Select(t => t.Value));
        Assert.Equal("2", (string?)table.Element("thead")!.Elements("tr").First().Elements("th").Skip(1).First().Attribute("colspan"));
        // The reason's markup characters are text, not markup.
        Assert.Contains("no dom0 &lt;to publish to&gt; &amp; so on", html, StringComparison.Ordinal);
        Assert.Contains(page.Descendants("li"), li => li.Value.Trim() == "4.21 dom0+2domU-gicv3 d1 frontend.publish: SKIP no dom0 <to publish to> & so on (1 of 2)");
    }

    [Theory]
    [InlineData(0x26805u, new[] { 0, 2, 11, 13, 14, 17 })]
    [InlineData(0x16005u, new[] { 0, 2, 13, 14, 16 })]
    [InlineData(0u, new int[0])]
    public void Feature_bits_decode_as_features_h_numbers_them(uint submap, int[] bits)
    {
        Assert.Equal(bits, XenFeatures.Bits(submap));
        Assert.Equal(submap, XenFeatures.Parse("0x" + submap.ToString("x", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Feature_names_are_features_hs_and_an_unnamed_bit_says_so()
    {
        Assert.Equal("XENFEAT_writable_page_tables", XenFeatures.Name(0));
        Assert.Equal("XENFEAT_dom0", XenFeatures.Name(11));
        Assert.Equal("XENFEAT_ARM_SMCCC_supported", XenFeatures.Name(14));
        Assert.Equal("XENFEAT_direct_mapped", XenFeatures.Name(17));
        Assert.Equal("XENFEAT_runstate_phys_area", XenFeatures.Name(18));
        Assert.Equal("bit 31 (unnamed)", XenFeatures.Name(31));
        Assert.Null(XenFeatures.Parse("26805"));
        Assert.Null(XenFeatures.Parse("0x123456789"));
    }
}
