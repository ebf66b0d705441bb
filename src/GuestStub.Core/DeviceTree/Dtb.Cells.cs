using System;

namespace GuestStub.DeviceTree;

// Addressing (spec 2.3.5, 2.3.6) and interrupts (spec 2.4).
public readonly ref partial struct Dtb
{
    /// <summary>Spec 2.3.5 defaults when a bus node has no #address-cells / #size-cells.</summary>
    public const int DefaultAddressCells = 2;
    public const int DefaultSizeCells = 1;

    /// <summary>
    /// #address-cells of <paramref name="bus"/> (the cells its children's <c>reg</c> uses for
    /// an address); 2 when absent. As libfdt's fdt_address_cells: BadCells when the property
    /// is not one cell, or is 0 or more than 4. The validator has refused all of these except
    /// 0, which a validated tree holds only on nodes whose children have no <c>reg</c>
    /// (interrupt controllers).
    /// </summary>
    public DtbStatus GetAddressCells(DtNode bus, out int cells) =>
        GetCells(bus, "#address-cells"u8, DefaultAddressCells, 1, out cells);

    /// <summary>
    /// #size-cells of <paramref name="bus"/>; 1 when absent. 0 is legitimate (buses whose
    /// children have no size, e.g. /cpus, i2c, spi), as in libfdt's fdt_size_cells; more
    /// than 4 or a value that is not one cell is BadCells.
    /// </summary>
    public DtbStatus GetSizeCells(DtNode bus, out int cells) =>
        GetCells(bus, "#size-cells"u8, DefaultSizeCells, 0, out cells);

    private DtbStatus GetCells(DtNode bus, ReadOnlySpan<byte> name, int defaultCells, int minimum, out int cells)
    {
        cells = defaultCells;
        if (!TryGetProperty(bus, name, out DtProperty property))
            return DtbStatus.Ok;
        if (!DtCells.TryReadU32(PropertyValue(property), out uint value) || value < (uint)minimum || value > FdtLayout.MaxCells)
        {
            cells = 0;
            return DtbStatus.Fail(DtbError.BadCells, property.ValueOffset);
        }
        cells = (int)value;
        return DtbStatus.Ok;
    }

    /// <summary>
    /// The <c>reg</c> of <paramref name="node"/>, decoded with the cells of
    /// <paramref name="parent"/> (which must be its parent; callers walking down already know
    /// it, see <see cref="GetReg(DtNode, out DtReg)"/> otherwise). Errors: NotFound (no
    /// <c>reg</c>; offset of the node), BadCells (the parent's cells), BadValue (length not a
    /// multiple of the entry size, offset of the value). On a tree from <see cref="Open"/> only
    /// NotFound can occur (with the parent passed right): the validator has checked every
    /// node's cells and every reg; the checks stay here as defence in depth.
    /// </summary>
    public DtbStatus GetReg(DtNode parent, DtNode node, out DtReg reg)
    {
        reg = default;
        DtbStatus status = GetAddressCells(parent, out int addressCells);
        if (!status.IsOk)
            return status;
        status = GetSizeCells(parent, out int sizeCells);
        if (!status.IsOk)
            return status;
        if (!TryGetProperty(node, "reg"u8, out DtProperty property))
            return DtbStatus.Fail(DtbError.NotFound, node.Offset);
        ReadOnlySpan<byte> value = PropertyValue(property);
        int entryBytes = (addressCells + sizeCells) * DtCells.CellSize;
        if (value.Length % entryBytes != 0)
            return DtbStatus.Fail(DtbError.BadValue, property.ValueOffset);
        reg = new DtReg(value, property.ValueOffset, addressCells, sizeCells);
        return DtbStatus.Ok;
    }

    /// <summary>The <c>reg</c> of <paramref name="node"/>, finding its parent by a walk.</summary>
    public DtbStatus GetReg(DtNode node, out DtReg reg)
    {
        if (!TryGetParent(node, out DtNode parent))
        {
            reg = default;
            return DtbStatus.Fail(DtbError.NotFound, node.Offset);    // the root has no reg
        }
        return GetReg(parent, node, out reg);
    }

    /// <summary>
    /// The <c>interrupts</c> of <paramref name="node"/> (spec 2.4.1), with the controller found
    /// through <c>interrupt-parent</c> on the node or its nearest ancestor that has one, and
    /// that controller's #interrupt-cells. Errors: NotFound (no <c>interrupts</c>, or no
    /// interrupt-parent anywhere up the tree), BadPhandle, BadCells (#interrupt-cells absent,
    /// not one cell, 0 or above 4), BadValue (length not a multiple of the specifier).
    /// <c>interrupts-extended</c> is not read.
    /// </summary>
    public DtbStatus GetInterrupts(DtNode node, out DtInterrupts interrupts)
    {
        interrupts = default;
        if (!TryGetProperty(node, "interrupts"u8, out DtProperty property))
            return DtbStatus.Fail(DtbError.NotFound, node.Offset);

        DtNode holder = node;
        DtProperty parentProperty;
        while (!TryGetProperty(holder, "interrupt-parent"u8, out parentProperty))
        {
            if (!TryGetParent(holder, out holder))
                return DtbStatus.Fail(DtbError.NotFound, node.Offset);
        }
        if (!DtCells.TryReadU32(PropertyValue(parentProperty), out uint phandle))
            return DtbStatus.Fail(DtbError.BadValue, parentProperty.ValueOffset);
        if (!TryFindByPhandle(phandle, out DtNode controller))
            return DtbStatus.Fail(DtbError.BadPhandle, parentProperty.ValueOffset);

        if (!TryGetProperty(controller, "#interrupt-cells"u8, out DtProperty cellsProperty))
            return DtbStatus.Fail(DtbError.BadCells, controller.Offset);
        if (!DtCells.TryReadU32(PropertyValue(cellsProperty), out uint cells) || cells == 0 || cells > DtInterruptSpecifier.MaxCells)
            return DtbStatus.Fail(DtbError.BadCells, cellsProperty.ValueOffset);

        ReadOnlySpan<byte> value = PropertyValue(property);
        if (value.Length % ((int)cells * DtCells.CellSize) != 0)
            return DtbStatus.Fail(DtbError.BadValue, property.ValueOffset);
        interrupts = new DtInterrupts(value, controller, (int)cells);
        return DtbStatus.Ok;
    }
}
