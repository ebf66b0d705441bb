using System;
using GuestStub.Memory;

namespace GuestStub.DeviceTree;

/// <summary>
/// A decoded <c>reg</c> value (spec 2.3.6): <see cref="Count"/> (address, size) entries, each
/// <see cref="AddressCells"/> + <see cref="SizeCells"/> cells. Built by <see cref="Dtb.GetReg(DtNode, DtNode, out DtReg)"/>,
/// which has checked the cells and the length.
/// </summary>
public readonly ref struct DtReg
{
    private readonly ReadOnlySpan<byte> _value;
    private readonly int _valueOffset;

    public readonly int AddressCells;
    public readonly int SizeCells;

    internal DtReg(ReadOnlySpan<byte> value, int valueOffset, int addressCells, int sizeCells)
    {
        _value = value;
        _valueOffset = valueOffset;
        AddressCells = addressCells;
        SizeCells = sizeCells;
    }

    public int Count => _value.Length / ((AddressCells + SizeCells) * DtCells.CellSize);

    /// <summary>Entry <paramref name="index"/> as raw numbers. BadValue when an address or size
    /// does not fit in 64 bits (3 or 4 cells with non-zero high cells); NotFound past the end.
    /// The offset is that of the entry in the blob.</summary>
    public DtbStatus Get(int index, out ulong address, out ulong size)
    {
        address = size = 0;
        if ((uint)index >= (uint)Count)
            return DtbStatus.Fail(DtbError.NotFound, _valueOffset);
        int firstCell = index * (AddressCells + SizeCells);
        if (!DtCells.TryReadNumber(_value, firstCell, AddressCells, out address) ||
            !DtCells.TryReadNumber(_value, firstCell + AddressCells, SizeCells, out size))
            return DtbStatus.Fail(DtbError.BadValue, EntryOffset(index));
        return DtbStatus.Ok;
    }

    /// <summary>Offset in the blob of entry <paramref name="index"/>, for error reports.</summary>
    public int EntryOffset(int index) => _valueOffset + index * (AddressCells + SizeCells) * DtCells.CellSize;

    /// <summary>Entry <paramref name="index"/> as a range; as <see cref="Get"/>, plus
    /// AddressOverflow when address + size passes 2^64.</summary>
    public DtbStatus GetRange(int index, out PhysicalRange range)
    {
        range = default;
        DtbStatus status = Get(index, out ulong address, out ulong size);
        if (!status.IsOk)
            return status;
        if (!PhysicalRange.TryCreate(address, size, out range))
            return DtbStatus.Fail(DtbError.AddressOverflow, EntryOffset(index));
        return DtbStatus.Ok;
    }
}
