using System;
using System.IO;
using System.Linq;

namespace GuestStub.Tests.Reports;

/// <summary>
/// The golden report files of tests/fixtures/reports, shared by the boot tests (the guest's lines)
/// and the host tool's plan tests (the simulation's lines), so neither can drift from the other.
/// A golden value of <c>*</c> matches any value: for figures that differ from run to run and
/// between the real and the simulated Xen (counter ticks), whose key and place must still match.
/// </summary>
public static class GoldenReport
{
    public const string AnyValue = "*";

    public static string[] ReportLines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("report ", StringComparison.Ordinal)).ToArray();

    public static string[] Read(string path) => ReportLines(File.ReadAllText(path));

    /// <summary><paramref name="actual"/> with each value the golden line at the same place
    /// leaves open (<c>*</c>, same key) replaced by <c>*</c>, ready to compare with Assert.Equal.</summary>
    public static string[] Normalise(string[] golden, string[] actual)
    {
        var normalised = (string[])actual.Clone();
        for (int i = 0; i < Math.Min(golden.Length, actual.Length); i++)
        {
            string key = KeyOf(golden[i]);
            if (golden[i] == $"{key} {AnyValue}" && KeyOf(actual[i]) == key)
                normalised[i] = golden[i];
        }
        return normalised;
    }

    /// <summary>"report KEY" of a line "report KEY VALUE".</summary>
    private static string KeyOf(string line)
    {
        int second = line.IndexOf(' ', "report ".Length);
        return second < 0 ? line : line[..second];
    }
}
