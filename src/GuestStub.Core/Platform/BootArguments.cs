using System;

namespace GuestStub.Platform;

/// <summary>
/// The stub's options in /chosen bootargs: space-separated <c>key=value</c> words, as on a Linux
/// command line. Words the stub does not know are ignored (they may be meant for a later stage).
/// </summary>
public readonly ref struct BootArguments
{
    private readonly ReadOnlySpan<byte> _text;

    public BootArguments(ReadOnlySpan<byte> text)
    {
        // A bootargs property value ends in NUL; stop there if the caller left it in.
        int nul = text.IndexOf((byte)0);
        _text = nul >= 0 ? text.Slice(0, nul) : text;
    }

    public ReadOnlySpan<byte> Text => _text;

    /// <summary>The value of the last word <c>key=value</c> (last wins, as in Linux); false when absent.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        value = default;
        bool found = false;
        int position = 0;
        while (NextWord(_text, ref position, out int start, out int length))
        {
            ReadOnlySpan<byte> word = _text.Slice(start, length);
            if (word.Length > key.Length && word[key.Length] == (byte)'=' && word.Slice(0, key.Length).SequenceEqual(key))
            {
                value = _text.Slice(start + key.Length + 1, length - key.Length - 1);
                found = true;
            }
        }
        return found;
    }

    /// <summary>
    /// The value of <c>key=N</c> as a decimal number no larger than <paramref name="max"/>.
    /// Returns false, with <paramref name="present"/> telling whether the key was given at all,
    /// when the key is absent or its value is not such a number (so callers can report a bad one).
    /// </summary>
    public bool TryGetDecimal(ReadOnlySpan<byte> key, ulong max, out ulong value, out bool present)
    {
        value = 0;
        present = TryGetValue(key, out ReadOnlySpan<byte> text);
        if (!present || text.IsEmpty || text.Length > 19)
            return false;
        for (int i = 0; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - (byte)'0');
            if (digit > 9)
                return false;
            value = value * 10 + digit;
        }
        return value <= max;
    }

    /// <summary>
    /// The next range of a list <c>0xSTART-0xEND,...</c> (half-open, as the report writes
    /// ranges) from <paramref name="position"/>: true with the range, false at the end of the
    /// list; <paramref name="malformed"/> when the list is not such a list (nor empty).
    /// </summary>
    public static bool NextRange(ReadOnlySpan<byte> text, ref int position, out GuestStub.Memory.PhysicalRange range, out bool malformed)
    {
        range = default;
        int i = position;
        malformed = false;
        if (i >= text.Length)
            return false;
        if ((i > 0 && text[i++] != (byte)',') || !Hex(text, ref i, out ulong start) || i >= text.Length || text[i++] != (byte)'-' ||
            !Hex(text, ref i, out ulong end) || !GuestStub.Memory.PhysicalRange.TryFromBounds(start, end, out range) || range.IsEmpty ||
            (i < text.Length && text[i] != (byte)','))
        {
            malformed = true;
            return false;
        }
        position = i;
        return true;
    }

    /// <summary>"0x" and 1 to 16 hexadecimal digits at <paramref name="i"/>.</summary>
    private static bool Hex(ReadOnlySpan<byte> text, ref int i, out ulong value)
    {
        value = 0;
        if (text.Length - i < 3 || text[i] != (byte)'0' || (text[i + 1] | 0x20) != (byte)'x')
            return false;
        int first = i += 2;
        for (; i < text.Length && i - first < 17; i++)
        {
            uint c = (uint)(text[i] | 0x20);
            uint digit = c - '0' <= 9 ? c - '0' : c - 'a' <= 5 ? c - 'a' + 10 : 16;
            if (digit == 16)
                break;
            value = value << 4 | digit;
        }
        return i > first && i - first <= 16;
    }

    /// <summary>True when a word equals <paramref name="flag"/> exactly.</summary>
    public bool HasFlag(ReadOnlySpan<byte> flag)
    {
        int position = 0;
        while (NextWord(_text, ref position, out int start, out int length))
            if (_text.Slice(start, length).SequenceEqual(flag))
                return true;
        return false;
    }

    /// <summary>The next space-separated word at or after <paramref name="position"/>.</summary>
    private static bool NextWord(ReadOnlySpan<byte> text, ref int position, out int start, out int length)
    {
        start = position;
        while (start < text.Length && IsSpace(text[start]))
            start++;
        int end = start;
        while (end < text.Length && !IsSpace(text[end]))
            end++;
        length = end - start;
        position = end;
        return length != 0;
    }

    private static bool IsSpace(byte c) => c == (byte)' ' || c == (byte)'\t' || c == (byte)'\n';
}
