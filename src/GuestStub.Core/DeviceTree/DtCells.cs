using System;
using System.Buffers.Binary;

namespace GuestStub.DeviceTree;

/// <summary>
/// Decoding property values (spec 2.2.4): big-endian 32-bit cells, numbers spanning several
/// cells, NUL-terminated strings. Reads go word by word so they stay 4-byte aligned.
/// </summary>
public static class DtCells
{
    public const int CellSize = 4;

    /// <summary>A value of exactly one cell.</summary>
    public static bool TryReadU32(ReadOnlySpan<byte> value, out uint cell)
    {
        cell = 0;
        if (value.Length != CellSize)
            return false;
        cell = BinaryPrimitives.ReadUInt32BigEndian(value);
        return true;
    }

    /// <summary>A value of exactly two cells, high cell first.</summary>
    public static bool TryReadU64(ReadOnlySpan<byte> value, out ulong number)
    {
        number = 0;
        if (value.Length != 2 * CellSize)
            return false;
        return TryReadNumber(value, 0, 2, out number);
    }

    /// <summary>Cell <paramref name="index"/> of <paramref name="value"/>; false past the end.</summary>
    public static bool TryReadCell(ReadOnlySpan<byte> value, int index, out uint cell)
    {
        cell = 0;
        if ((uint)index >= (uint)(value.Length / CellSize))
            return false;
        cell = BinaryPrimitives.ReadUInt32BigEndian(value.Slice(index * CellSize, CellSize));
        return true;
    }

    /// <summary>The number held by <paramref name="cellCount"/> cells starting at cell
    /// <paramref name="firstCell"/>, most significant first. False when the cells run past the
    /// value or when cells above the low two are not zero (the number needs more than 64 bits).
    /// A count of 0 reads as 0 (#size-cells = 0).</summary>
    public static bool TryReadNumber(ReadOnlySpan<byte> value, int firstCell, int cellCount, out ulong number)
    {
        number = 0;
        int cells = value.Length / CellSize;
        if (firstCell < 0 || cellCount < 0 || firstCell > cells || cellCount > cells - firstCell)
            return false;
        for (int i = 0; i < cellCount; i++)
        {
            uint cell = BinaryPrimitives.ReadUInt32BigEndian(value.Slice((firstCell + i) * CellSize, CellSize));
            if ((number >> 32) != 0)
                return false;
            number = (number << 32) | cell;
        }
        return true;
    }

    /// <summary>A string value without its terminating NUL. False unless the value is non-empty,
    /// ends with NUL and holds no other NUL.</summary>
    public static bool TryGetString(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (value.IsEmpty || value.IndexOf((byte)0) != value.Length - 1)
            return false;
        text = value.Slice(0, value.Length - 1);
        return true;
    }
}
