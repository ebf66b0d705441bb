using System;
using GuestStub.Guest;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.GuestTests;

/// <summary>
/// One batch size's six passes over the same pages: map and unmap through the product's
/// transport (the figures: instructions per page, Xen's and the stub's together), through
/// <see cref="TimedHypercalls"/> (the counter read around each hvc: what was inside it, what
/// outside) and through <see cref="NullHypercalls"/> (the same code without Xen: the stub's own
/// instructions, exactly). Xen's share is the product pass less the stub's own.
/// </summary>
internal struct SizeFigures
{
    public int Batch;
    public PassResult Map;
    public PassResult Unmap;
    public PassResult TimedMap;
    public PassResult TimedUnmap;
    public PassResult NullMap;
    public PassResult NullUnmap;

    public readonly bool Consistent =>
        Map.Refused == 0 && Unmap.Refused == 0 && TimedMap.Refused == 0 && TimedUnmap.Refused == 0 && Unmap.Done == Map.Done &&
        TimedUnmap.Done == TimedMap.Done;

    public readonly XenFailure FirstRefusal => Map.FirstRefusal.Or(Unmap.FirstRefusal).Or(TimedMap.FirstRefusal).Or(TimedUnmap.FirstRefusal);
}

/// <summary>How the mapping benchmarks report a batch size and their summary, for people and as
/// <c>report bench.WHAT.batch.N.*</c> lines (N the size, or <c>largest</c>).</summary>
internal static class MapFigures
{
    public static void Report(ref GuestConsole console, ReadOnlySpan<byte> what, ReadOnlySpan<byte> label, in SizeFigures f, ulong pages, bool largest)
    {
        console.Write("guest-bench: "u8);
        console.Write(label);
        console.Write(", "u8);
        TextFormat.Decimal(ref console, (ulong)f.Batch);
        console.Write(f.Batch == 1 ? " page per call ("u8 : " pages per call ("u8);
        Calls(ref console, f.TimedMap.Split.Calls);
        console.Write("): map "u8);
        BenchText.InstructionsValue(ref console, f.Map.Split.TotalTicks, pages);
        console.Write(" instructions per page (the stub's own "u8);
        BenchText.InstructionsValue(ref console, f.NullMap.Split.TotalTicks, pages);
        console.Write("; counter at each hvc: "u8);
        BenchText.InstructionsValue(ref console, f.TimedMap.Split.InsideTicks, pages);
        console.Write(" inside, "u8);
        BenchText.InstructionsValue(ref console, f.TimedMap.Split.OutsideTicks, pages);
        console.Write(" outside), unmap "u8);
        BenchText.InstructionsValue(ref console, f.Unmap.Split.TotalTicks, pages);
        console.Write(" ("u8);
        Calls(ref console, f.TimedUnmap.Split.Calls);
        console.Write("; the stub's own "u8);
        BenchText.InstructionsValue(ref console, f.NullUnmap.Split.TotalTicks, pages);
        console.Write("; counter at each hvc: "u8);
        BenchText.InstructionsValue(ref console, f.TimedUnmap.Split.InsideTicks, pages);
        console.Write(" inside, "u8);
        BenchText.InstructionsValue(ref console, f.TimedUnmap.Split.OutsideTicks, pages);
        console.Write(" outside)\n"u8);

        Pass(ref console, what, f.Batch, largest, ".map"u8, f.Map, f.TimedMap, f.NullMap, pages);
        Pass(ref console, what, f.Batch, largest, ".unmap"u8, f.Unmap, f.TimedUnmap, f.NullUnmap, pages);
    }

    private static void Calls(ref GuestConsole console, ulong calls)
    {
        TextFormat.Decimal(ref console, calls);
        console.Write(calls == 1 ? " call"u8 : " calls"u8);
    }

    private static void Pass(ref GuestConsole console, ReadOnlySpan<byte> what, int batch, bool largest, ReadOnlySpan<byte> which,
        in PassResult real, in PassResult timed, in PassResult none, ulong pages)
    {
        ulong total = real.Split.TotalTicks, own = none.Split.TotalTicks;
        Figure(ref console, what, batch, largest, which, default, total, pages);
        Figure(ref console, what, batch, largest, which, ".stub"u8, own, pages);
        Figure(ref console, what, batch, largest, which, ".xen"u8, total > own ? total - own : 0, pages);
        Figure(ref console, what, batch, largest, which, ".timed.inside"u8, timed.Split.InsideTicks, pages);
        Figure(ref console, what, batch, largest, which, ".timed.outside"u8, timed.Split.OutsideTicks, pages);
        Key(ref console, what, batch, largest, which, ".calls "u8);
        TextFormat.Decimal(ref console, timed.Split.Calls);
        console.Write("\n"u8);
    }

    /// <summary>The best batch size against one page per call, and the stub's share there.</summary>
    public static void Summary(ref GuestConsole console, ReadOnlySpan<byte> what, ReadOnlySpan<byte> label, in SizeFigures one,
        in SizeFigures best, ulong pages)
    {
        ulong oneMap = one.Map.Split.TotalTicks, bestMap = best.Map.Split.TotalTicks;
        ulong oneBoth = oneMap + one.Unmap.Split.TotalTicks, bestBoth = bestMap + best.Unmap.Split.TotalTicks;
        ulong own = best.NullMap.Split.TotalTicks, outside = best.TimedMap.Split.OutsideTicks, timedTotal = best.TimedMap.Split.TotalTicks;
        console.Write("guest-bench: "u8);
        console.Write(label);
        console.Write(": "u8);
        TextFormat.Decimal(ref console, (ulong)best.Batch);
        console.Write(" pages per call map a page in "u8);
        BenchText.Thousandths(ref console, oneMap, bestMap);
        console.Write("x fewer instructions than one call per page (map and unmap together "u8);
        BenchText.Thousandths(ref console, oneBoth, bestBoth);
        console.Write("x); the stub's own share there "u8);
        BenchText.Thousandths(ref console, own * 100, bestMap);
        console.Write("% ("u8);
        BenchText.Thousandths(ref console, outside * 100, timedTotal);
        console.Write("% outside hvc by the counter)\n"u8);
        Line(ref console, what, ".best.batch "u8);
        TextFormat.Decimal(ref console, (ulong)best.Batch);
        console.Write("\n"u8);
        Line(ref console, what, ".best.map_ratio "u8);
        BenchText.Thousandths(ref console, oneMap, bestMap);
        console.Write("\n"u8);
        Line(ref console, what, ".best.map_unmap_ratio "u8);
        BenchText.Thousandths(ref console, oneBoth, bestBoth);
        console.Write("\n"u8);
        Line(ref console, what, ".best.stub_percent "u8);
        BenchText.Thousandths(ref console, own * 100, bestMap);
        console.Write("\n"u8);
        Line(ref console, what, ".best.timed_outside_percent "u8);
        BenchText.Thousandths(ref console, outside * 100, timedTotal);
        console.Write("\n"u8);
    }

    private static void Figure(ref GuestConsole console, ReadOnlySpan<byte> what, int batch, bool largest, ReadOnlySpan<byte> which,
        ReadOnlySpan<byte> detail, ulong ticks, ulong pages)
    {
        Key(ref console, what, batch, largest, which, detail);
        console.Write(" "u8);
        BenchText.InstructionsValue(ref console, ticks, pages);
        console.Write("\n"u8);
    }

    /// <summary>"report bench.WHAT.batch.N" (or ".batch.largest"), then the rest.</summary>
    private static void Key(ref GuestConsole console, ReadOnlySpan<byte> what, int batch, bool largest, ReadOnlySpan<byte> which,
        ReadOnlySpan<byte> detail)
    {
        Line(ref console, what, ".batch."u8);
        if (largest)
            console.Write("largest"u8);
        else
            TextFormat.Decimal(ref console, (ulong)batch);
        console.Write(which);
        console.Write(detail);
    }

    private static void Line(ref GuestConsole console, ReadOnlySpan<byte> what, ReadOnlySpan<byte> rest)
    {
        console.Write("report bench."u8);
        console.Write(what);
        console.Write(rest);
    }
}
