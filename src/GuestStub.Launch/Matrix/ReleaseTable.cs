using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using GuestStub.Launch.Reports;

namespace GuestStub.Launch.Matrix;

/// <summary>
/// "What each Xen gives a guest": the release matrix's boots as one table, one row per check and
/// one column per release and shape, each cell the worst verdict of that check in those boots
/// (every domain that ran it) linking to a boot's log that shows it; the reasons of every cell
/// that is not SUCCESS below; then the XENFEAT bits each release gave dom0 and the domUs. As
/// Markdown and as an HTML page. Pure: boots' verdicts in, text out.
/// </summary>
public sealed class ReleaseTable
{
    /// <summary>A cell with no case: the check did not run in those boots (not selected, or
    /// that shape's domains do not have it).</summary>
    public const string NotRun = "-";

    private readonly IReadOnlyList<ReleaseTableBoot> _boots;
    private readonly List<(string Release, string Column)> _columns;
    private readonly List<string> _checks;

    public ReleaseTable(IReadOnlyList<ReleaseTableBoot> boots, string title, string summary)
    {
        _boots = boots;
        Title = title;
        Summary = summary;
        _columns = boots.Select(b => (b.Release, b.Column)).Distinct().ToList();
        _checks = boots.SelectMany(b => b.Verdicts.Cases).Select(c => c.Check).Distinct().ToList();
    }

    public string Title { get; }

    /// <summary>The matrix's summary line, quoted under the title.</summary>
    public string Summary { get; }

    /// <summary>The releases, in the order they ran.</summary>
    public IReadOnlyList<string> Releases => _columns.Select(c => c.Release).Distinct().ToList();

    /// <summary>The rows: every check some boot reported, in the order they first came.</summary>
    public IReadOnlyList<string> Checks => _checks;

    /// <summary>The columns: release and shape, in the order they ran.</summary>
    public IReadOnlyList<(string Release, string Column)> Columns => _columns;

    /// <summary>One cell: the worst verdict, how many cases had it of how many, the log of the
    /// first boot that shows it, and each distinct (domain, verdict, reason) with its count.</summary>
    public sealed record Cell(Verdict? Worst, int WorstCount, int Total, string? Log, IReadOnlyList<(string Domain, Verdict Verdict, string? Reason, int Count)> Kinds)
    {
        /// <summary>The cell's text: the verdict, and "k of n" when the cases disagree.</summary>
        public string Text => Worst is not Verdict worst ? NotRun
            : VerdictText.Name(worst) + (WorstCount == Total ? "" : string.Create(CultureInfo.InvariantCulture, $" ({WorstCount} of {Total})"));
    }

    public Cell CellOf(string release, string column, string check)
    {
        var cases = new List<(ReleaseTableBoot Boot, CheckCase Case)>();
        foreach (ReleaseTableBoot boot in _boots)
            if (boot.Release == release && boot.Column == column)
                foreach (CheckCase c in boot.Verdicts.Cases)
                    if (c.Check == check)
                        cases.Add((boot, c));
        if (cases.Count == 0)
            return new Cell(null, 0, 0, null, Array.Empty<(string, Verdict, string?, int)>());
        Verdict worst = cases.Max(c => c.Case.Verdict);
        var kinds = cases.GroupBy(c => (c.Case.Domain, c.Case.Verdict, c.Case.Reason))
            .Select(g => (g.Key.Domain, g.Key.Verdict, g.Key.Reason, g.Count())).ToList();
        return new Cell(worst, cases.Count(c => c.Case.Verdict == worst), cases.Count, cases.First(c => c.Case.Verdict == worst).Boot.Log, kinds);
    }

    /// <summary>A column's heading: its shape, and how many boots it sums up when more than one.</summary>
    public string ColumnHeading(string release, string column)
    {
        int boots = _boots.Count(b => b.Release == release && b.Column == column);
        return boots == 1 ? column : string.Create(CultureInfo.InvariantCulture, $"{column} ({boots} boots)");
    }

    /// <summary>The keys not compared between releases: the verdicts (the table has them), what
    /// the heading and the XENFEAT table show, and timings.</summary>
    private static bool Compared(string key) =>
        !key.StartsWith(CheckVerdict.KeyPrefix, StringComparison.Ordinal) && key is not ("hypervisor" or "xen.features")
        && !key.Contains("latency", StringComparison.Ordinal) && !key.Contains("ticks", StringComparison.Ordinal);

    /// <summary>How many values a difference cell lists before "and N more".</summary>
    public const int DifferenceValues = 4;

    /// <summary>
    /// Where the releases differ: for each column and kind of domain (dom0, domU), each report
    /// key whose values, over that column's boots, are not the same on every release; with each
    /// release's distinct values, in the order they came.
    /// </summary>
    public IReadOnlyList<(string Column, string Kind, string Key, IReadOnlyList<IReadOnlyList<string>> Values)> Differences()
    {
        var rows = new List<(string, string, string, IReadOnlyList<IReadOnlyList<string>>)>();
        IReadOnlyList<string> releases = Releases;
        foreach (string column in _columns.Select(c => c.Column).Distinct())
            foreach (string kind in new[] { "dom0", "domU" })
            {
                var perRelease = releases.Select(r => _boots.Where(b => b.Release == r && b.Column == column)
                    .SelectMany(b => b.Verdicts.Reports).Where(d => (d.Key == "dom0") == (kind == "dom0"))
                    .SelectMany(d => d.Value).Where(e => Compared(e.Key)).ToList()).ToList();
                if (perRelease.Count(entries => entries.Count > 0) < 2)
                    continue;
                foreach (string key in perRelease.SelectMany(e => e).Select(e => e.Key).Distinct())
                {
                    var values = perRelease.Select(entries => (IReadOnlyList<string>)entries.Where(e => e.Key == key).Select(e => e.Value).Distinct().ToList()).ToList();
                    var present = values.Where((v, i) => perRelease[i].Count > 0).ToList();
                    if (present.Any(v => !v.Order(StringComparer.Ordinal).SequenceEqual(present[0].Order(StringComparer.Ordinal))))
                        rows.Add((column, kind, key, values));
                }
            }
        return rows;
    }

    private static string DifferenceText(IReadOnlyList<string> values) =>
        values.Count == 0 ? NotRun
            : string.Join(", ", values.Take(DifferenceValues)) + (values.Count > DifferenceValues ? string.Create(CultureInfo.InvariantCulture, $" and {values.Count - DifferenceValues} more") : "");

    /// <summary>What the boots of <paramref name="release"/> say it is: the version Xen told the
    /// guest and the one in its banner (<c>xen-4.21 (4.21.2)</c>).</summary>
    public string ReleaseIdentity(string release)
    {
        var boots = _boots.Where(b => b.Release == release).Select(b => b.Verdicts).ToList();
        string reported = string.Join(", ", boots.Select(b => b.Xen).Distinct());
        string builds = string.Join(", ", boots.Select(b => b.XenBuild).OfType<string>().Distinct());
        return builds.Length == 0 ? reported : $"{reported} (banner: Xen {builds})";
    }

    /// <summary>The XENFEAT columns: each release's dom0 and domU (any d1, d2, ...).</summary>
    public IReadOnlyList<(string Release, string Kind)> FeatureColumns =>
        Releases.SelectMany(r => new[] { (r, "dom0"), (r, "domU") }).Where(c => FeatureValues(c.Item1, c.Item2).Count > 0).ToList();

    /// <summary>The distinct <c>xen.features</c> values the domains of that kind reported.</summary>
    public IReadOnlyList<uint> FeatureValues(string release, string kind) =>
        _boots.Where(b => b.Release == release)
            .SelectMany(b => b.Verdicts.Features)
            .Where(f => (f.Key == "dom0") == (kind == "dom0"))
            .Select(f => XenFeatures.Parse(f.Value)).OfType<uint>().Distinct().Order().ToList();

    /// <summary>The bits any domain of any release was given, lowest first.</summary>
    public IReadOnlyList<int> FeatureBits =>
        FeatureColumns.SelectMany(c => FeatureValues(c.Release, c.Kind)).SelectMany(v => XenFeatures.Bits(v)).Distinct().Order().ToList();

    /// <summary>Whether bit <paramref name="bit"/> is set for that release's domains of that
    /// kind: <c>yes</c>, <c>no</c>, or <c>some</c> when their values differ.</summary>
    public string FeatureCell(string release, string kind, int bit)
    {
        IReadOnlyList<uint> values = FeatureValues(release, kind);
        int set = values.Count(v => (v & (1u << bit)) != 0);
        return set == 0 ? "no" : set == values.Count ? "yes" : "some";
    }

    private string FeatureHex(string release, string kind) =>
        string.Join(" ", FeatureValues(release, kind).Select(v => "0x" + v.ToString("x", CultureInfo.InvariantCulture)));

    /// <summary>Each cell that is not SUCCESS, with its reasons, for the notes under the table.</summary>
    private IEnumerable<(string Where, string Text, string? Log)> Notes()
    {
        foreach (string check in _checks)
            foreach ((string release, string column) in _columns)
            {
                Cell cell = CellOf(release, column, check);
                foreach (var kind in cell.Kinds.Where(k => k.Verdict != Verdict.Success))
                {
                    string count = cell.Total > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({kind.Count} of {cell.Total})") : "";
                    yield return ($"{release} {column} {kind.Domain} {check}", $"{VerdictText.Name(kind.Verdict)} {kind.Reason}{count}", cell.Log);
                }
            }
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.Append("# ").Append(Title).Append("\n\n");
        md.Append('`').Append(Summary).Append("`\n\n");
        foreach (string release in Releases)
            md.Append("- **").Append(release).Append("**: ").Append(MdText(ReleaseIdentity(release))).Append('\n');
        md.Append('\n');
        md.Append("| check |");
        foreach ((string release, string column) in _columns)
            md.Append(' ').Append(MdText(release)).Append(' ').Append(MdText(ColumnHeading(release, column))).Append(" |");
        md.Append("\n|---|");
        foreach (var _ in _columns)
            md.Append("---|");
        md.Append('\n');
        foreach (string check in _checks)
        {
            md.Append("| ").Append(MdText(check)).Append(" |");
            foreach ((string release, string column) in _columns)
            {
                Cell cell = CellOf(release, column, check);
                md.Append(' ').Append(cell.Log is null ? cell.Text : $"[{cell.Text}]({cell.Log})").Append(" |");
            }
            md.Append('\n');
        }
        md.Append('\n').Append(MdText(Legend)).Append('\n');
        var notes = Notes().ToList();
        if (notes.Count > 0)
        {
            md.Append("\nNot SUCCESS, and why:\n\n");
            foreach (var note in notes)
                md.Append("- ").Append(MdText(note.Where)).Append(": ").Append(MdText(note.Text)).Append('\n');
        }
        var differences = Differences();
        if (differences.Count > 0)
        {
            md.Append("\n## ").Append(DifferencesTitle).Append("\n\n| shape | domain | key |");
            foreach (string release in Releases)
                md.Append(' ').Append(MdText(release)).Append(" |");
            md.Append("\n|---|---|---|");
            foreach (var _ in Releases)
                md.Append("---|");
            md.Append('\n');
            foreach (var row in differences)
            {
                md.Append("| ").Append(MdText(row.Column)).Append(" | ").Append(row.Kind).Append(" | ").Append(MdText(row.Key)).Append(" |");
                foreach (IReadOnlyList<string> values in row.Values)
                    md.Append(' ').Append(MdText(DifferenceText(values))).Append(" |");
                md.Append('\n');
            }
        }
        var features = FeatureColumns;
        if (features.Count > 0)
        {
            md.Append("\n## XENFEAT bits (XENVER_get_features, submap 0)\n\n| bit |");
            foreach ((string release, string kind) in features)
                md.Append(' ').Append(MdText(release)).Append(' ').Append(kind).Append(" |");
            md.Append("\n|---|");
            foreach (var _ in features)
                md.Append("---|");
            md.Append("\n| submap |");
            foreach ((string release, string kind) in features)
                md.Append(' ').Append(FeatureHex(release, kind)).Append(" |");
            md.Append('\n');
            foreach (int bit in FeatureBits)
            {
                md.Append("| ").Append(bit.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(MdText(XenFeatures.Name(bit))).Append(" |");
                foreach ((string release, string kind) in features)
                    md.Append(' ').Append(FeatureCell(release, kind, bit)).Append(" |");
                md.Append('\n');
            }
            md.Append("\nBits not listed are clear for every domain of every release.\n");
        }
        return md.ToString();
    }

    /// <summary>Text in a Markdown table cell: a '|' would end the cell, '_' and '*' would emphasise.</summary>
    private static string MdText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>The page: HTML5, built as elements (the text is escaped by the writer).</summary>
    public string Html()
    {
        var head = new XElement("head",
            new XElement("meta", new XAttribute("charset", "utf-8")),
            E("title", Title),
            E("style", Style));
        var body = new XElement("body",
            E("h1", Title),
            E("p", E("code", Summary)),
            E("ul", Releases.Select(r => E("li", E("b", r), ": " + ReleaseIdentity(r)))),
            VerdictTable(),
            E("p", Legend));
        var notes = Notes().ToList();
        if (notes.Count > 0)
        {
            body.Add(E("h2", "Not SUCCESS, and why"));
            body.Add(E("ul", notes.Select(n => E("li",
                n.Log is null ? E("span", n.Where) : E("a", new XAttribute("href", n.Log), n.Where), ": " + n.Text))));
        }
        var differences = Differences();
        if (differences.Count > 0)
        {
            body.Add(E("h2", DifferencesTitle));
            body.Add(E("table", new XAttribute("class", "differences"),
                E("thead", E("tr", E("th", "shape"), E("th", "domain"), E("th", "key"), Releases.Select(r => E("th", r)))),
                E("tbody", differences.Select(row => E("tr", E("td", row.Column), E("td", row.Kind), E("th", new XAttribute("class", "check"), row.Key),
                    row.Values.Select(v => E("td", new XAttribute("class", "value"), DifferenceText(v))))))));
        }
        if (FeatureColumns.Count > 0)
        {
            body.Add(E("h2", "XENFEAT bits (XENVER_get_features, submap 0)"));
            body.Add(FeatureTable());
            body.Add(E("p", "Bits not listed are clear for every domain of every release."));
        }
        var html = new XElement("html", new XAttribute("lang", "en"), head, body);
        return "<!DOCTYPE html>\n" + html.ToString() + "\n";
    }

    private XElement VerdictTable()
    {
        var releaseRow = E("tr", E("th", new XAttribute("rowspan", 2), "check"),
            Releases.Select(r => E("th", new XAttribute("colspan", _columns.Count(c => c.Release == r)), r)));
        var shapeRow = E("tr", _columns.Select(c => E("th", ColumnHeading(c.Release, c.Column))));
        var rows = _checks.Select(check => E("tr",
            E("th", new XAttribute("class", "check"), check),
            _columns.Select(c =>
            {
                Cell cell = CellOf(c.Release, c.Column, check);
                string css = cell.Worst is Verdict v ? VerdictText.Name(v).ToLowerInvariant() : "none";
                string title = string.Join("; ", cell.Kinds.Select(k =>
                    $"{k.Domain}: {VerdictText.Name(k.Verdict)}{(k.Reason is null ? "" : " " + k.Reason)}{(k.Count > 1 ? $" ({k.Count})" : "")}"));
                return E("td", new XAttribute("class", css), title.Length > 0 ? new XAttribute("title", title) : null,
                    cell.Log is null ? cell.Text : E("a", new XAttribute("href", cell.Log), cell.Text));
            })));
        return E("table", new XAttribute("class", "verdicts"), E("thead", releaseRow, shapeRow), E("tbody", rows));
    }

    private XElement FeatureTable()
    {
        var features = FeatureColumns;
        var head = E("tr", E("th", "bit"), features.Select(f => E("th", $"{f.Release} {f.Kind}")));
        var hex = E("tr", E("th", "submap"), features.Select(f => E("td", E("code", FeatureHex(f.Release, f.Kind)))));
        var bits = FeatureBits.Select(bit => E("tr",
            E("th", new XAttribute("class", "check"), $"{bit} {XenFeatures.Name(bit)}"),
            features.Select(f =>
            {
                string cell = FeatureCell(f.Release, f.Kind, bit);
                return E("td", new XAttribute("class", cell == "yes" ? "success" : cell == "some" ? "skip" : "none"), cell);
            })));
        return E("table", new XAttribute("class", "features"), E("thead", head), E("tbody", hex, bits));
    }

    /// <summary>An element that is never written as <c>&lt;x /&gt;</c> (HTML reads that as an
    /// opening tag only).</summary>
    private static XElement E(string name, params object?[] content)
    {
        var element = new XElement(name, content);
        if (element.IsEmpty)
            element.Value = "";
        return element;
    }

    private const string Legend =
        "Each cell: the worst verdict of that check over the column's boots and domains (k of n when they disagree), linking to a boot's log that shows it. "
        + "A cell \"" + NotRun + "\": the check did not run there (not selected, or not a check of those domains).";

    private const string DifferencesTitle = "Where the releases differ (report values)";

    // No '>' or '&' here: XElement would escape them inside <style>, which HTML does not unescape.
    private const string Style = """
        body { font-family: sans-serif; margin: 1em; }
        table { border-collapse: collapse; margin: 0.5em 0 1em 0; }
        th, td { border: 1px solid #999; padding: 2px 6px; font-size: 13px; }
        th.check { text-align: left; font-family: monospace; font-weight: normal; }
        td { text-align: center; }
        td a { color: inherit; text-decoration: none; }
        td.success { background: #c8f0c8; }
        td.skip { background: #f5eeb0; }
        td.error { background: #f5c890; }
        td.failure { background: #f09a9a; }
        td.none { color: #888; }
        td.value { text-align: left; font-family: monospace; }
        """;
}
