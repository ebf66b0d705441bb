using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace GuestStub.Launch.Reports;

/// <summary>
/// The one parser of what a domain reports (README "What you will see", and the verdict contract
/// of the shared brief): every <c>report &lt;key&gt; &lt;value&gt;</c> line, the verdict lines
/// among them (<c>report check.&lt;category&gt;.&lt;check&gt; &lt;VERDICT&gt; [reason]</c>) and
/// XTF's closing line (<c>Test result: &lt;VERDICT&gt;</c>). Other lines are the domain's text
/// for people and are skipped. A line that starts like a report line but breaks its form is kept
/// out of the entries and listed in <see cref="Problems"/>, as is anything that contradicts the
/// verdict contract.
/// </summary>
public sealed partial class DomainReport
{
    /// <summary>A key: lowercase words of letters, digits, '_' and '-', joined by dots.</summary>
    [GeneratedRegex(@"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$")]
    private static partial Regex KeyForm();

    /// <summary>A check's name: <c>&lt;category&gt;.&lt;check&gt;</c>, [a-z0-9-] words joined by dots.</summary>
    [GeneratedRegex(@"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")]
    private static partial Regex CheckNameForm();

    private readonly List<ReportEntry> _entries = new();
    private readonly List<CheckVerdict> _checks = new();
    private readonly List<int> _checkLines = new();
    private readonly List<TestResult> _testResults = new();
    private readonly List<ReportProblem> _problems = new();

    private DomainReport() { }

    /// <summary>Every well-formed <c>report</c> line, in order (verdict lines too).</summary>
    public IReadOnlyList<ReportEntry> Entries => _entries;

    /// <summary>The verdict lines, in order; a malformed one is here as ERROR, its line in <see cref="Problems"/>.</summary>
    public IReadOnlyList<CheckVerdict> Checks => _checks;

    /// <summary>Where each of <see cref="Checks"/> was printed: its line, 0-based among the
    /// domain's lines (the JUnit report quotes the lines around it).</summary>
    public IReadOnlyList<int> CheckLines => _checkLines;

    /// <summary>Every <c>Test result:</c> line (one per run of the boot sequence, the last closing it).</summary>
    public IReadOnlyList<TestResult> TestResults => _testResults;

    /// <summary>The closing line, or null when the domain never printed one.</summary>
    public TestResult? TestResult => _testResults.Count == 0 ? null : _testResults[^1];

    public IReadOnlyList<ReportProblem> Problems => _problems;

    /// <summary>The value of the single <c>report KEY</c> line; null when there is none.
    /// Throws <see cref="ReportKeyRepeatedException"/> when there are several.</summary>
    public string? Value(string key)
    {
        IReadOnlyList<string> values = Values(key);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new ReportKeyRepeatedException(key, values.Count),
        };
    }

    /// <summary>Every value of <c>report KEY</c>, in order (keys such as ext.region repeat, and
    /// every key does when the boot runs its sequence several times).</summary>
    public IReadOnlyList<string> Values(string key) => _entries.Where(e => e.Key == key).Select(e => e.Value).ToList();

    /// <summary>The last value of <c>report KEY</c>, or null.</summary>
    public string? LastValue(string key) => _entries.LastOrDefault(e => e.Key == key)?.Value;

    /// <summary>
    /// The domain's verdict: the worst of its closing line and of its checks (XTF's order). No
    /// closing line is ERROR: the domain did not finish, or wrote no verdict (XTF's runner calls
    /// that a crash).
    /// </summary>
    public Verdict Verdict => _checks.Aggregate(TestResult?.Verdict ?? Verdict.Error, (worst, c) => VerdictText.Worst(worst, c.Verdict));

    /// <summary>Why <see cref="Verdict"/> is what it is, in a few words.</summary>
    public string VerdictReason
    {
        get
        {
            if (TestResult is null)
                return "no 'Test result:' line: the domain did not finish or wrote no verdict";
            CheckVerdict? worst = _checks.Where(c => c.Verdict > TestResult.Verdict).OrderByDescending(c => c.Verdict).FirstOrDefault();
            return worst is null ? TestResult.ToString() : $"{TestResult}, but {worst}";
        }
    }

    /// <summary>A domain's lines (without Xen's prefixes), parsed.</summary>
    public static DomainReport Parse(IEnumerable<string> lines)
    {
        var report = new DomainReport();
        int index = 0;
        foreach (string line in lines)
            report.Add(index++, line.TrimEnd('\r'));
        return report;
    }

    /// <summary>Text as a domain printed it (lines separated by newlines), parsed.</summary>
    public static DomainReport Parse(string text) => Parse(text.Split('\n'));

    private void Add(int index, string line)
    {
        if (line.StartsWith(TestResult.Prefix, StringComparison.Ordinal))
        {
            AddTestResult(index, line);
            return;
        }
        if (line != "report" && !line.StartsWith(ReportEntry.Prefix, StringComparison.Ordinal))
            return;
        string rest = line.Length > ReportEntry.Prefix.Length ? line[ReportEntry.Prefix.Length..] : "";
        int space = rest.IndexOf(' ');
        string key = space < 0 ? rest : rest[..space];
        string value = space < 0 ? "" : rest[(space + 1)..];
        if (key.Length == 0)
        {
            Problem(index, line, rest.Length == 0 ? "a report line without key or value" : "a report line whose key is empty (two spaces?)");
            return;
        }
        if (!KeyForm().IsMatch(key))
        {
            Problem(index, line, $"'{key}' is not a report key (lowercase words of [a-z0-9_-] joined by dots)");
            return;
        }
        if (value.Length == 0)
        {
            Problem(index, line, $"report {key} has no value");
            return;
        }
        _entries.Add(new ReportEntry(key, value));
        if (key.StartsWith(CheckVerdict.KeyPrefix, StringComparison.Ordinal))
            AddCheck(index, line, key[CheckVerdict.KeyPrefix.Length..], value);
    }

    private void AddCheck(int index, string line, string name, string value)
    {
        if (_testResults.Count > 0)
            Problem(index, line, $"check.{name} comes after the closing '{_testResults[^1]}' line");
        int space = value.IndexOf(' ');
        string word = space < 0 ? value : value[..space];
        string? reason = space < 0 ? null : value[(space + 1)..];
        string? why = null;
        if (!CheckNameForm().IsMatch(name))
            why = $"'{name}' is not a check name (<category>.<check>, [a-z0-9-] words joined by dots)";
        else if (!VerdictText.TryParse(word, out Verdict verdict))
            why = $"'{word}' is not a verdict (SUCCESS, SKIP, ERROR or FAILURE)";
        else if (verdict != Verdict.Success && string.IsNullOrWhiteSpace(reason))
            why = $"{word} without its reason";
        else
        {
            _checks.Add(new CheckVerdict(name, verdict, string.IsNullOrWhiteSpace(reason) ? null : reason));
            _checkLines.Add(index);
            return;
        }
        Problem(index, line, why);
        // A verdict that cannot be read cannot be a pass: it counts as an error.
        _checks.Add(new CheckVerdict(name, Verdict.Error, "malformed verdict line: " + why));
        _checkLines.Add(index);
    }

    private void AddTestResult(int index, string line)
    {
        string text = line[TestResult.Prefix.Length..];
        bool warnings = text.EndsWith(TestResult.Warnings, StringComparison.Ordinal);
        string word = warnings ? text[..^TestResult.Warnings.Length] : text;
        if (!VerdictText.TryParse(word, out Verdict verdict) || (warnings && verdict != Verdict.Success))
        {
            Problem(index, line, $"'{text}' is not a test result (SUCCESS, SUCCESS with warnings, SKIP, ERROR or FAILURE)");
            _testResults.Add(new TestResult(Verdict.Error, false));
            return;
        }
        var result = new TestResult(verdict, warnings);
        Verdict worstCheck = _checks.Aggregate(Verdict.Success, (w, c) => VerdictText.Worst(w, c.Verdict));
        if (_checks.Count > 0 && worstCheck != verdict)
            Problem(index, line, $"the worst check is {VerdictText.Name(worstCheck)}, not {VerdictText.Name(verdict)}");
        _testResults.Add(result);
    }

    private void Problem(int index, string line, string why) => _problems.Add(new ReportProblem(index, line, why));
}
