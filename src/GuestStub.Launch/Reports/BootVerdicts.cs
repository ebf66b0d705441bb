using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GuestStub.Launch.Running;
using GuestStub.Launch.Xen;

namespace GuestStub.Launch.Reports;

/// <summary>
/// A finished boot as verdicts a CI can file: which Xen ran it (as Xen told the guest, the
/// <c>report hypervisor xen-X.Y</c> line), the boot's shape (<see cref="ShapeName"/>), and one
/// <see cref="CheckCase"/> per domain and check. A domain that never printed its closing line is
/// an ERROR case naming how the boot ended; so is a machine that did not power off by itself.
/// Also what the release table shows beside the verdicts: Xen's own version from its banner and
/// each domain's XENFEAT bitmap (<c>report xen.features</c>).
/// </summary>
public sealed record BootVerdicts(string Xen, string Shape, IReadOnlyList<CheckCase> Cases)
{
    /// <summary>How long the boot ran; zero when it never started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The version in Xen's banner (<c>Xen version 4.21.2 (...)</c>, <see cref="XenBanner"/>),
    /// with <c>(debug build)</c> for one, or null.</summary>
    public string? XenBuild { get; init; }

    /// <summary>Each domain's <c>xen.features</c> value as printed (hex), by domain name.</summary>
    public IReadOnlyDictionary<string, string> Features { get; init; } = new Dictionary<string, string>();

    /// <summary>Each domain's <c>report</c> lines (verdict lines too), by domain name: what the
    /// release table compares between releases.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ReportEntry>> Reports { get; init; } = new Dictionary<string, IReadOnlyList<ReportEntry>>();

    /// <summary>The name a CI shows for a case: <c>&lt;xen&gt;/&lt;shape&gt;/&lt;domain&gt;/&lt;check&gt;</c>.</summary>
    public string CaseName(CheckCase c) => $"{Xen}/{Shape}/{c.Domain}/{c.Check}";

    /// <summary>How many lines of QEMU's output a machine case quotes (its end: where it stopped).</summary>
    public const int MachineTailLines = 60;

    /// <summary>A boot that could not even be prepared (a missing image, a bad Xen path): one
    /// machine ERROR naming why.</summary>
    public static BootVerdicts NotBooted(string xen, string shape, string why) =>
        new(xen, shape, new[] { new CheckCase(CheckCase.Machine, CheckCase.PowerOffCheck, Verdict.Error, "not booted: " + why, new[] { why }) });

    /// <summary>
    /// The verdicts of <paramref name="run"/>. <paramref name="xenChoice"/> names the Xen when
    /// neither the guest nor Xen's banner said which it is (a boot that died first).
    /// </summary>
    public static BootVerdicts From(BootRun run, string shape, string xenChoice)
    {
        var cases = new List<CheckCase>();
        var features = new Dictionary<string, string>();
        var reports = new Dictionary<string, IReadOnlyList<ReportEntry>>();
        string? reported = null;
        foreach (DomainConsole domain in run.Domains)
        {
            DomainReport report = domain.Report;
            reported ??= report.LastValue("hypervisor") is string h && h != "xen-unknown" ? h : null;
            reports[domain.Name] = report.Entries;
            if (report.LastValue("xen.features") is string f)
                features[domain.Name] = f;
            cases.AddRange(DomainCases(domain, run));
        }
        // A boot without dom0 is stopped after its verdicts (Xen never halts it): that ended well too.
        if (!run.Outcome.Finished)
        {
            IReadOnlyList<string> output = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            cases.Add(new CheckCase(CheckCase.Machine, CheckCase.PowerOffCheck, Verdict.Error, run.Outcome.Describe(),
                output.Skip(Math.Max(0, output.Count - MachineTailLines)).ToList()));
        }
        XenBanner? banner = XenBanner.Find(run.Lines);
        string xen = reported
            ?? (banner is not null ? "xen-" + banner.Release
                : run.Prepared.Boot.Xen is null ? "bare" : "xen-unknown(" + XenChoiceName(xenChoice) + ")");
        return new BootVerdicts(xen, shape, cases)
        {
            Elapsed = run.Outcome.Elapsed,
            XenBuild = banner is null ? null : banner.Version + (banner.Debug ? " (debug build)" : ""),
            Features = features,
            Reports = reports,
        };
    }

    /// <summary>A <c>--xen</c> choice as one word: a release's version, or a path's file name.</summary>
    public static string XenChoiceName(string choice) => System.IO.Path.GetFileName(choice.TrimEnd('/'));

    /// <summary>
    /// One case per check the domain printed (a check printed more than once, when the boot ran
    /// its sequence again, keeps its worst verdict), and its test-result case when the closing
    /// line is missing or a report line broke its form.
    /// </summary>
    private static IEnumerable<CheckCase> DomainCases(DomainConsole domain, BootRun run)
    {
        DomainReport report = domain.Report;
        var worst = new Dictionary<string, int>();
        var order = new List<string>();
        for (int i = 0; i < report.Checks.Count; i++)
        {
            string name = report.Checks[i].Name;
            if (!worst.TryGetValue(name, out int w))
            {
                order.Add(name);
                worst[name] = i;
            }
            else if (report.Checks[i].Verdict > report.Checks[w].Verdict)
            {
                worst[name] = i;
            }
        }
        foreach (string name in order)
        {
            int i = worst[name];
            CheckVerdict check = report.Checks[i];
            yield return new CheckCase(domain.Name, name, check.Verdict, check.Reason, StageLines(domain.Lines, report.CheckLines[i]));
        }

        string? why = null;
        if (report.TestResult is null)
            why = $"no 'Test result:' line: {run.Outcome.Describe()}";
        else if (report.Problems.Count > 0)
            why = $"a malformed report: {report.Problems[0]}";
        if (why is not null)
        {
            IReadOnlyList<string> lines = domain.Lines.Count > 0 ? domain.Lines : new[] { $"({domain.Name} printed nothing)" };
            yield return new CheckCase(domain.Name, CheckCase.TestResultCheck, Verdict.Error, why, lines);
        }
    }

    /// <summary>
    /// The lines that explain the verdict printed at <paramref name="verdictLine"/>: each stage
    /// prints its own lines, then its verdicts in one block (README "verdicts"), so the stage's
    /// lines are those after the previous block of verdict lines, up to this block; then the
    /// verdict line itself.
    /// </summary>
    public static IReadOnlyList<string> StageLines(IReadOnlyList<string> lines, int verdictLine)
    {
        int blockStart = verdictLine;
        while (blockStart > 0 && IsVerdictLine(lines[blockStart - 1]))
            blockStart--;
        int stageStart = blockStart;
        while (stageStart > 0 && !IsVerdictLine(lines[stageStart - 1]) && !lines[stageStart - 1].StartsWith(TestResult.Prefix, StringComparison.Ordinal))
            stageStart--;
        var quoted = new List<string>(blockStart - stageStart + 1);
        for (int i = stageStart; i < blockStart; i++)
            quoted.Add(lines[i]);
        quoted.Add(lines[verdictLine]);
        return quoted;
    }

    private static bool IsVerdictLine(string line) =>
        line.StartsWith(ReportEntry.Prefix + CheckVerdict.KeyPrefix, StringComparison.Ordinal);

    /// <summary>How many cases ended each way.</summary>
    public int Count(Verdict verdict) => Cases.Count(c => c.Verdict == verdict);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Xen}/{Shape}: {Cases.Count} cases, {Count(Verdict.Failure)} failures, {Count(Verdict.Error)} errors, {Count(Verdict.Skip)} skipped");
}
