using System;

namespace GuestStub.Text;

/// <summary>
/// Names packed in one literal, each ended by a NUL, looked up by position. The guest's image
/// has a size budget (128 KiB): a switch with one string per arm costs about 20 bytes of code per name,
/// a packed table one byte (its NUL) per name and a single shared loop. The tables are small
/// and read only when something is reported, so the linear scan costs nothing that matters.
/// </summary>
public static class NameTable
{
    /// <summary>The name at <paramref name="index"/>; empty when the table has no such entry.</summary>
    public static ReadOnlySpan<byte> Get(ReadOnlySpan<byte> packed, long index)
    {
        if (index < 0)
            return default;
        int start = 0;
        for (long i = 0; i < index; i++)
        {
            int end = packed.Slice(start).IndexOf((byte)0);
            if (end < 0)
                return default;
            start += end + 1;
        }
        int length = packed.Slice(start).IndexOf((byte)0);
        return length < 0 ? default : packed.Slice(start, length);
    }

    /// <summary>The name of <paramref name="key"/> in a sparse table: <paramref name="keys"/>
    /// lists the keys (each 0..255) in the order of the names; empty for a key not listed.</summary>
    public static ReadOnlySpan<byte> Lookup(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> packed, long key)
    {
        if (key < 0 || key > byte.MaxValue)
            return default;
        int index = keys.IndexOf((byte)key);
        return index < 0 ? default : Get(packed, index);
    }
}
