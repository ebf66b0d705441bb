using System;

namespace GuestStub.Elf;

/// <summary>
/// The one bounds check every read of untrusted offsets and sizes goes through. Written so that
/// <c>offset + size</c> is never computed, so it cannot overflow (libfdt's fdt_check_full style).
/// </summary>
public static class ElfBounds
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

    /// <summary>
    /// <paramref name="value"/> rounded up to a multiple of <paramref name="alignment"/> (0 and 1 leave
    /// it as it is); false when that multiple is past 2^64.
    /// </summary>
    public static bool TryAlignUp(ulong value, ulong alignment, out ulong aligned)
    {
        aligned = value;
        if (alignment <= 1)
            return true;
        ulong remainder = value % alignment;
        if (remainder == 0)
            return true;
        ulong step = alignment - remainder;
        if (value > ulong.MaxValue - step)
            return false;
        aligned = value + step;
        return true;
    }

    /// <summary><see cref="TryAlignUp"/> for values known to be small (note padding, table placement).</summary>
    internal static ulong AlignUp(ulong value, ulong alignment) =>
        TryAlignUp(value, alignment, out ulong aligned) ? aligned : throw new OverflowException($"0x{value:x} aligned up to 0x{alignment:x} is past 2^64");
}
