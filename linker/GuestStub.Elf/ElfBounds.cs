namespace GuestStub.Elf;

/// <summary>
/// The one bounds check every read of untrusted offsets and sizes goes through. Written so that
/// <c>offset + size</c> is never computed, so it cannot overflow (libfdt's fdt_check_full style).
/// </summary>
internal static class ElfBounds
{
    /// <summary>True when [offset, offset + size) lies inside [0, length).</summary>
    public static bool FitsWithin(ulong offset, ulong size, ulong length) =>
        size <= length && offset <= length - size;

    /// <summary>True when <paramref name="count"/> entries of <paramref name="entrySize"/> bytes fit at offset.</summary>
    public static bool TableFitsWithin(ulong offset, ulong count, ulong entrySize, ulong length) =>
        entrySize == 0
            ? offset <= length
            : count <= length / entrySize && FitsWithin(offset, count * entrySize, length);

    /// <summary>End of a range, saturating instead of wrapping; only for ranges already known to be sane.</summary>
    public static ulong EndOf(ulong offset, ulong size) =>
        offset > ulong.MaxValue - size ? ulong.MaxValue : offset + size;

    /// <summary>True when the two half-open ranges share at least one byte.</summary>
    public static bool Overlap(ulong aStart, ulong aSize, ulong bStart, ulong bSize) =>
        aSize != 0 && bSize != 0 && aStart < EndOf(bStart, bSize) && bStart < EndOf(aStart, aSize);

    public static bool IsPowerOfTwoOrZero(ulong value) => (value & (value - 1)) == 0;

    public static ulong AlignUp(ulong value, ulong alignment) =>
        alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
}
