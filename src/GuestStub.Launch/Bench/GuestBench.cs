using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GuestStub.Launch.Reports;
using GuestStub.Launch.Running;

namespace GuestStub.Launch.Bench;

/// <summary>
/// The in-guest benchmarks (tests/GuestStub.GuestTests/Bench): what a benchmark boot must show
/// (every vector passed, no benchmark failed, figures reported) and how two boots' figures
/// compare. Under <c>-icount shift=0</c> a count of counter ticks is a count of instructions,
/// whatever the host's load, so two boots must agree within <see cref="LimitPpm"/>.
/// </summary>
public static class GuestBench
{
    /// <summary>The boot argument that runs the benchmarks.</summary>
    public const string BootArgument = "guest-tests.bench";

    /// <summary>The bound: the benchmarks run tens of millions of instructions under -icount.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(300);

    /// <summary>Two boots may differ by 0.1% (the few instructions Xen's timer adds).</summary>
    public const double LimitPpm = 1000;

    /// <summary>The report keys of the figures.</summary>
    public const string KeyPrefix = "bench.";

    /// <summary>What is wrong with a benchmark boot of domain <paramref name="domid"/>; empty when it is fine.</summary>
    public static IReadOnlyList<string> Problems(BootRun run, int domid = 0)
    {
        var problems = new List<string>();
        if (!run.Outcome.PoweredOff)
            problems.Add("the benchmark boot failed or timed out: " + run.Outcome.Describe());
        IReadOnlyList<string> lines = run.Domain(domid).Lines;
        if (!lines.Any(l => l.StartsWith("guest-tests: ", StringComparison.Ordinal) && l.EndsWith(" passed, 0 failed", StringComparison.Ordinal)))
            problems.Add("the test image did not pass every vector");
        problems.AddRange(lines.Where(l => l.StartsWith("guest-bench: FAIL", StringComparison.Ordinal)));
        if (Figures(run.Domain(domid).Report).Count == 0)
            problems.Add("no report bench lines");
        return problems;
    }

    /// <summary>The figures: every <c>report bench.KEY VALUE</c> (the last, should one repeat).</summary>
    public static IReadOnlyDictionary<string, string> Figures(DomainReport report)
    {
        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ReportEntry entry in report.Entries.Where(e => e.Key.StartsWith(KeyPrefix, StringComparison.Ordinal)))
            figures[entry.Key] = entry.Value;
        return figures;
    }

    /// <summary>Two boots' figures compared: each number of the second against the first.</summary>
    public static BenchComparison Compare(IReadOnlyDictionary<string, string> first, IReadOnlyDictionary<string, string> second)
    {
        var mismatches = new List<string>();
        foreach (string key in first.Keys.Except(second.Keys).Concat(second.Keys.Except(first.Keys)).Order(StringComparer.Ordinal))
            mismatches.Add($"{key}: in one run only");
        int compared = 0;
        double worst = 0;
        string? worstKey = null;
        foreach ((string key, string a) in first.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!second.TryGetValue(key, out string? b))
                continue;
            if (!TryNumber(a, out decimal x) || !TryNumber(b, out decimal y))
            {
                if (a != b)
                    mismatches.Add($"{key}: {a} then {b}");
                continue;
            }
            compared++;
            decimal larger = Math.Max(x, y);
            double ppm = larger == 0 ? 0 : (double)(Math.Abs(x - y) / larger) * 1e6;
            if (ppm > worst)
            {
                worst = ppm;
                worstKey = key;
            }
        }
        return new BenchComparison(compared, worst, worstKey, mismatches);
    }

    /// <summary>A figure: digits with an optional fraction (as awk's /^[0-9.]+$/ took them).</summary>
    private static bool TryNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}

/// <summary>Two benchmark boots compared: how many figures, the largest difference and where,
/// and the values that should have been equal and were not.</summary>
public sealed record BenchComparison(int Compared, double WorstPpm, string? WorstKey, IReadOnlyList<string> Mismatches)
{
    public bool WithinLimit => Compared > 0 && WorstPpm <= GuestBench.LimitPpm && Mismatches.Count == 0;

    public override string ToString() =>
        $"{Compared} figures of two runs, largest difference {WorstPpm.ToString("0.0", CultureInfo.InvariantCulture)} ppm" +
        (WorstKey is null ? "" : $" ({WorstKey})") + $" (limit {GuestBench.LimitPpm:0} ppm = 0.1%)";
}
