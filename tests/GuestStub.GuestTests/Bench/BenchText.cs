using System;
using GuestStub.Guest;
using GuestStub.Report;
using GuestStub.Text;

namespace GuestStub.GuestTests;

/// <summary>
/// How the mapping benchmark writes its figures: for people a <c>guest-bench:</c> line, for
/// machines <c>report bench.KEY VALUE</c> lines (one figure each, a number, so two runs compare
/// key by key). Instructions are counter ticks x 16 (<c>-icount shift=0</c>); a figure per page
/// or per round trip has three decimals, so a difference of one tick in a pass shows.
/// </summary>
internal static class BenchText
{
    /// <summary>"report KEY N".</summary>
    internal static void Count(ref GuestConsole console, ReadOnlySpan<byte> key, ulong value) => ReportLine.Decimal(ref console, key, value);

    /// <summary>"report KEY I.III": <paramref name="ticks"/> x 16 / <paramref name="per"/>, in thousandths.</summary>
    internal static void Instructions(ref GuestConsole console, ReadOnlySpan<byte> key, ulong ticks, ulong per)
    {
        ReportLine.Begin(ref console, key);
        InstructionsValue(ref console, ticks, per);
        console.Write("\n"u8);
    }

    /// <summary>"report KEY R.RRR": <paramref name="a"/> / <paramref name="b"/>, in thousandths.</summary>
    internal static void Ratio(ref GuestConsole console, ReadOnlySpan<byte> key, ulong a, ulong b)
    {
        ReportLine.Begin(ref console, key);
        Thousandths(ref console, a, b);
        console.Write("\n"u8);
    }

    /// <summary><paramref name="ticks"/> x 16 / <paramref name="per"/> with three decimals.</summary>
    internal static void InstructionsValue(ref GuestConsole console, ulong ticks, ulong per) =>
        Thousandths(ref console, ticks * GuestBench.InstructionsPerTick, per);

    /// <summary><paramref name="a"/> / <paramref name="b"/> with three decimals, rounded ("0.417");
    /// "n/a" when <paramref name="b"/> is 0.</summary>
    internal static void Thousandths(ref GuestConsole console, ulong a, ulong b)
    {
        if (b == 0)
        {
            console.Write("n/a"u8);
            return;
        }
        ulong milli = (a * 1000 + b / 2) / b;
        TextFormat.Decimal(ref console, milli / 1000);
        console.Write("."u8);
        ulong fraction = milli % 1000;
        if (fraction < 100)
            console.Write("0"u8);
        if (fraction < 10)
            console.Write("0"u8);
        TextFormat.Decimal(ref console, fraction);
    }

    /// <summary>"guest-bench: FAIL WHAT: " then the failure, and a newline.</summary>
    internal static void Fail(ref GuestConsole console, ReadOnlySpan<byte> what, in GuestStub.Xen.XenFailure failure)
    {
        console.Write("guest-bench: FAIL "u8);
        console.Write(what);
        console.Write(": "u8);
        failure.Write(ref console);
        console.Write("\n"u8);
    }
}
