using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// The verdict lines of a domain's output, held to the contract the launcher parses
/// (notes/COMMON.md): <c>report check.CATEGORY.CHECK VERDICT [reason]</c>, VERDICT one of
/// SUCCESS, SKIP, ERROR, FAILURE, SKIP/ERROR/FAILURE always with a reason, each check once per
/// run, and the domain's last line <c>Test result: VERDICT</c>, the worst in XTF's order (ERROR
/// when there was no check at all).
/// </summary>
public static class VerdictLines
{
    private static readonly Regex Line = new(@"^report check\.(?<name>[a-z0-9-]+(\.[a-z0-9-]+)+) (?<verdict>SUCCESS|SKIP|ERROR|FAILURE)(?<reason> .+)?$");
    private static readonly string[] Order = { "SUCCESS", "SKIP", "ERROR", "FAILURE" };

    /// <summary>Name -> "VERDICT[ reason]" of each verdict line (the last run's when several).</summary>
    public static Dictionary<string, string> Of(SimulatedBootResult r)
    {
        var verdicts = new Dictionary<string, string>();
        foreach (string line in r.Output.Split('\n').Where(l => l.StartsWith("report check.", StringComparison.Ordinal)))
        {
            Match m = Line.Match(line);
            verdicts[m.Groups["name"].Value] = line["report check.".Length..][(m.Groups["name"].Value.Length + 1)..];
        }
        return verdicts;
    }

    /// <summary>The check names in the order their lines came.</summary>
    public static string[] Names(SimulatedBootResult r) =>
        r.Output.Split('\n').Where(l => l.StartsWith("report check.", StringComparison.Ordinal)).Select(l => Line.Match(l).Groups["name"].Value).ToArray();

    /// <summary>Asserts the contract on a domain that ran to its end; returns its Test result.</summary>
    public static string AssertContract(SimulatedBootResult r, string describe = "")
    {
        string[] lines = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string worst = "";
        int checks = 0;
        foreach (string line in lines.Where(l => l.StartsWith("report check.", StringComparison.Ordinal)))
        {
            Match m = Line.Match(line);
            Assert.True(m.Success, $"not a verdict line: {line}\n{describe}");
            string verdict = m.Groups["verdict"].Value;
            Assert.True(verdict == "SUCCESS" || m.Groups["reason"].Success, $"{verdict} without a reason: {line}\n{describe}");
            checks++;
            if (Array.IndexOf(Order, verdict) > Array.IndexOf(Order, worst))
                worst = verdict;
        }
        Assert.True(lines.Length > 0 && lines[^1].StartsWith("Test result: ", StringComparison.Ordinal),
            $"the last line is not XTF's Test result\n{r.Output}\n{describe}");
        string result = lines[^1]["Test result: ".Length..];
        Assert.Equal(checks == 0 ? "ERROR" : worst, result);
        Assert.Single(lines, l => l.StartsWith("Test result: ", StringComparison.Ordinal));
        return result;
    }
}
