using System;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>The machine-readable report: one fact per line, exactly "report &lt;key&gt; &lt;value&gt;".</summary>
internal static class Report
{
    internal static void Line<TSink>(ref TSink sink, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) where TSink : struct, ITextSink =>
        Line(ref sink, key, value, default, default);

    /// <summary>A value written in parts (no string building in the guest).</summary>
    internal static void Line<TSink>(ref TSink sink, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value0, ReadOnlySpan<byte> value1, ReadOnlySpan<byte> value2)
        where TSink : struct, ITextSink
    {
        sink.Write("report "u8);
        sink.Write(key);
        sink.Write(" "u8);
        sink.Write(value0);
        sink.Write(value1);
        sink.Write(value2);
        sink.Write("\n"u8);
    }
}
