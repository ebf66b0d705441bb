namespace System;

/// <summary>The subset of .NET's MemoryExtensions that Core uses, for byte spans.</summary>
public static class MemoryExtensions
{
    public static bool SequenceEqual(this ReadOnlySpan<byte> span, ReadOnlySpan<byte> other)
    {
        if (span.Length != other.Length)
            return false;
        for (int i = 0; i < span.Length; i++)
            if (span[i] != other[i])
                return false;
        return true;
    }

    public static bool SequenceEqual(this Span<byte> span, ReadOnlySpan<byte> other) =>
        SequenceEqual((ReadOnlySpan<byte>)span, other);

    public static int IndexOf(this ReadOnlySpan<byte> span, byte value)
    {
        for (int i = 0; i < span.Length; i++)
            if (span[i] == value)
                return i;
        return -1;
    }

    public static int IndexOf(this Span<byte> span, byte value) => IndexOf((ReadOnlySpan<byte>)span, value);

    public static bool StartsWith(this ReadOnlySpan<byte> span, ReadOnlySpan<byte> value) =>
        value.Length <= span.Length && SequenceEqual(span.Slice(0, value.Length), value);

    public static ReadOnlySpan<char> AsSpan(this string text) => (object)text == null ? default : text.AllChars;
}
