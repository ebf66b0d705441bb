using System;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// Compares rendered text with a vector's expected text and, when they differ, names the first
/// line that differs: <c>line 3: expected "hole 0x1-0x2" got "hole 0x1-0x3"</c>.
/// </summary>
public static class TextComparison
{
    /// <summary>True when <paramref name="actual"/> is exactly <paramref name="expected"/>;
    /// otherwise the first difference is written to <paramref name="detail"/>.</summary>
    public static bool Check<TSink>(ReadOnlySpan<byte> expected, ref TextBuffer actual, ref TSink detail) where TSink : struct, ITextSink
    {
        if (actual.Overflowed)
        {
            detail.Write("rendered text longer than "u8);
            TextFormat.Decimal(ref detail, TextBuffer.Capacity);
            detail.Write(" bytes"u8);
            return false;
        }
        ReadOnlySpan<byte> text = TextBuffer.TextOf(ref actual);
        if (text.SequenceEqual(expected))
            return true;
        int line = 1;
        int e = 0, a = 0;
        while (true)
        {
            ReadOnlySpan<byte> expectedLine = LineAt(expected, e);
            ReadOnlySpan<byte> actualLine = LineAt(text, a);
            bool expectedEnded = e >= expected.Length;
            bool actualEnded = a >= text.Length;
            if (expectedEnded || actualEnded || !expectedLine.SequenceEqual(actualLine))
            {
                detail.Write("line "u8);
                TextFormat.Decimal(ref detail, (ulong)line);
                detail.Write(": expected "u8);
                Quoted(ref detail, expectedLine, expectedEnded);
                detail.Write(" got "u8);
                Quoted(ref detail, actualLine, actualEnded);
                return false;
            }
            e += expectedLine.Length + 1;
            a += actualLine.Length + 1;
            line++;
        }
    }

    /// <summary>The line starting at <paramref name="start"/>, without its '\n'.</summary>
    private static ReadOnlySpan<byte> LineAt(ReadOnlySpan<byte> text, int start)
    {
        if (start >= text.Length)
            return default;
        ReadOnlySpan<byte> rest = text.Slice(start);
        int end = rest.IndexOf((byte)'\n');
        return end < 0 ? rest : rest.Slice(0, end);
    }

    private static void Quoted<TSink>(ref TSink sink, ReadOnlySpan<byte> line, bool ended) where TSink : struct, ITextSink
    {
        if (ended)
        {
            sink.Write("the end of the text"u8);
            return;
        }
        sink.Write("\""u8);
        sink.Write(line);
        sink.Write("\""u8);
    }
}
