using System;
using System.Diagnostics;
using System.Globalization;
using GuestStub.Launch.Serial;

namespace GuestStub.Launch.Running;

/// <summary>
/// When, counted from QEMU's start, Xen printed its first line (its banner) and each domain its
/// closing <c>Test result:</c> line: how fast a boot gets to a verdict. Fed the whole console
/// lines as they come (<see cref="BootObserver.OnLine"/>); started when QEMU is.
/// </summary>
public sealed class VerdictTimes
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Xen's first line, or null before it.</summary>
    public TimeSpan? XenBanner { get; private set; }

    /// <summary>The last <c>Test result:</c> line so far, and whose it was.</summary>
    public TimeSpan? LastVerdict { get; private set; }

    public int LastVerdictDomain { get; private set; } = -1;

    public void OnLine(ConsoleLine line)
    {
        if (line.Source == LineSource.Xen && XenBanner is null)
            XenBanner = _clock.Elapsed;
        if (line.Source == LineSource.Domain && line.Text.StartsWith(Reports.TestResult.Prefix, StringComparison.Ordinal))
        {
            LastVerdict = _clock.Elapsed;
            LastVerdictDomain = line.Domain;
        }
    }

    /// <summary>One line for a person, or null when no verdict came.</summary>
    public string? Describe()
    {
        if (LastVerdict is not TimeSpan last)
            return null;
        string who = LastVerdictDomain == 0 ? "dom0" : "d" + LastVerdictDomain.ToString(CultureInfo.InvariantCulture);
        string text = $"the last Test result: line ({who}) {Seconds(last)} s after QEMU's start";
        return XenBanner is TimeSpan banner ? text + $", {Seconds(last - banner)} s after Xen's first line (at {Seconds(banner)} s)" : text;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
}
