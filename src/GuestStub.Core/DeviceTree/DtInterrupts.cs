using System;

namespace GuestStub.DeviceTree;

/// <summary>
/// A decoded <c>interrupts</c> value (spec 2.4.1): <see cref="Count"/> specifiers of
/// <see cref="CellsPerInterrupt"/> cells each, meaningful to <see cref="Controller"/>.
/// Built by <see cref="Dtb.GetInterrupts"/>.
/// </summary>
public readonly ref struct DtInterrupts
{
    private readonly ReadOnlySpan<byte> _value;

    public readonly DtNode Controller;
    public readonly int CellsPerInterrupt;

    internal DtInterrupts(ReadOnlySpan<byte> value, DtNode controller, int cellsPerInterrupt)
    {
        _value = value;
        Controller = controller;
        CellsPerInterrupt = cellsPerInterrupt;
    }

    public int Count => CellsPerInterrupt == 0 ? 0 : _value.Length / (CellsPerInterrupt * DtCells.CellSize);

    /// <summary>Specifier <paramref name="index"/>; false past the end.</summary>
    public bool TryGet(int index, out DtInterruptSpecifier specifier)
    {
        specifier = default;
        if ((uint)index >= (uint)Count)
            return false;
        int first = index * CellsPerInterrupt;
        uint c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        DtCells.TryReadCell(_value, first, out c0);
        if (CellsPerInterrupt > 1) DtCells.TryReadCell(_value, first + 1, out c1);
        if (CellsPerInterrupt > 2) DtCells.TryReadCell(_value, first + 2, out c2);
        if (CellsPerInterrupt > 3) DtCells.TryReadCell(_value, first + 3, out c3);
        specifier = new DtInterruptSpecifier(CellsPerInterrupt, c0, c1, c2, c3);
        return true;
    }
}
