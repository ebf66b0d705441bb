using System;
using System.IO;
using System.Linq;
using GuestStub.Launch.Reports;

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

    /// <summary>The report lines of <paramref name="text"/>, as the launcher's parser reads them;
    /// a line that breaks the report's form fails the comparison outright.</summary>
    public static string[] ReportLines(string text)
    {
        DomainReport report = DomainReport.Parse(text);
        if (report.Problems.Count > 0)
            throw new InvalidOperationException("malformed report lines: " + string.Join("; ", report.Problems));
        return report.Entries.Select(e => e.ToString()).ToArray();
    }

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

    /// <summary>"report KEY" of a line "report KEY VALUE", as the launcher's parser reads it.</summary>
    private static string KeyOf(string line) =>
        DomainReport.Parse(new[] { line }).Entries is [ReportEntry entry] ? ReportEntry.Prefix + entry.Key : line;
}
