using System;
using GuestStub.Memory;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Report;

/// <summary>
/// The machine-readable report: one fact per line, exactly <c>report &lt;key&gt; &lt;value&gt;</c>;
/// addresses in hex with 0x, ranges half-open <c>0xSTART-0xEND</c> (END exclusive, as Xen logs
/// them). The guest prints these lines on its console and <c>gueststub plan</c> prints the same
/// lines for a simulated boot, so tests compare them verbatim.
/// </summary>
public static class ReportLine
{
    public static void Write<TSink>(ref TSink sink, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) where TSink : struct, ITextSink =>
        Write(ref sink, key, value, default, default);

    /// <summary>A value written in parts (no string building in the guest).</summary>
    public static void Write<TSink>(ref TSink sink, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value0, ReadOnlySpan<byte> value1, ReadOnlySpan<byte> value2)
        where TSink : struct, ITextSink
    {
        Begin(ref sink, key);
        sink.Write(value0);
        sink.Write(value1);
        sink.Write(value2);
        sink.Write("\n"u8);
    }

    public static void Hex<TSink>(ref TSink sink, ReadOnlySpan<byte> key, ulong value) where TSink : struct, ITextSink
    {
        Begin(ref sink, key);
        TextFormat.Hex(ref sink, value);
        sink.Write("\n"u8);
    }

    public static void Decimal<TSink>(ref TSink sink, ReadOnlySpan<byte> key, ulong value) where TSink : struct, ITextSink
    {
        Begin(ref sink, key);
        TextFormat.Decimal(ref sink, value);
        sink.Write("\n"u8);
    }

    public static void Range<TSink>(ref TSink sink, ReadOnlySpan<byte> key, PhysicalRange range) where TSink : struct, ITextSink
    {
        Begin(ref sink, key);
        TextFormat.Range(ref sink, range);
        sink.Write("\n"u8);
    }

    /// <summary>Writes "report KEY " and leaves the value and the newline to the caller.</summary>
    public static void Begin<TSink>(ref TSink sink, ReadOnlySpan<byte> key) where TSink : struct, ITextSink
    {
        sink.Write("report "u8);
        sink.Write(key);
        sink.Write(" "u8);
    }

    /// <summary>"report KEY ok", or "report KEY FAILURE" naming the call and errno.</summary>
    public static void Outcome<TSink>(ref TSink sink, ReadOnlySpan<byte> key, in XenFailure failure) where TSink : struct, ITextSink
    {
        Begin(ref sink, key);
        Result(ref sink, failure);
        sink.Write("\n"u8);
    }

    /// <summary>"ok", or the failure naming the call and errno.</summary>
    public static void Result<TSink>(ref TSink sink, in XenFailure failure) where TSink : struct, ITextSink
    {
        if (failure.IsFailure)
            failure.Write(ref sink);
        else
            sink.Write("ok"u8);
    }

    /// <summary>"ok", or the failure naming the pool status or the call and errno behind it.</summary>
    public static void Result<TSink>(ref TSink sink, ScratchFailure failure) where TSink : struct, ITextSink
    {
        if (failure.IsFailure)
            failure.Write(ref sink);
        else
            sink.Write("ok"u8);
    }
}
