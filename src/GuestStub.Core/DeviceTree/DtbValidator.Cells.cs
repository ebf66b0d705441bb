using System;

namespace GuestStub.DeviceTree;

// Addressing, checked for every node during the one structure walk (spec 2.3.5, 2.3.6), so a
// validated tree never fails later on cells or on a reg length: GetReg's BadCells / BadValue
// are then only defence in depth. The offsets reported are those of the offending property's
// value, the same offsets Dtb.GetReg and Dtb.GetAddressCells report.
public static partial class DtbValidator
{
    /// <summary>The cells a node gives its children's <c>reg</c>; one per open depth.</summary>
    private struct BusCells
    {
        public byte AddressCells;
        public byte SizeCells;
        public bool AddressCellsSeen;
        public bool SizeCellsSeen;

        /// <summary>Value offset of #address-cells, to blame it when it is 0 and a child has reg.</summary>
        public int AddressCellsOffset;

        public static BusCells Defaults => new BusCells
        {
            AddressCells = Dtb.DefaultAddressCells,
            SizeCells = Dtb.DefaultSizeCells,
            AddressCellsOffset = -1,
        };
    }

    /// <summary>
    /// Checks one property of the node open at <paramref name="depth"/>:
    /// <list type="bullet">
    /// <item>#address-cells: exactly one cell, 0..4 (else BadCells). 0 is accepted here because
    /// the spec gives the property no range and real trees use it on nodes without addressable
    /// children (interrupt controllers, for interrupt-map: Xen gives a domU's GIC
    /// <c>#address-cells = &lt;0&gt;</c>); as in libfdt's fdt_address_cells, which refuses 0,
    /// it is BadCells as soon as a child has a <c>reg</c> (below).</item>
    /// <item>#size-cells: exactly one cell, 0..4 (else BadCells); 0 is common (/cpus, i2c).</item>
    /// <item><c>reg</c> of a node below the root: its length is a multiple of (the parent's
    /// #address-cells + #size-cells) * 4, defaults 2 and 1 (else BadValue); under a parent with
    /// #address-cells 0, BadCells at that #address-cells. The root's reg has no parent to be
    /// decoded with and is not checked (Dtb.GetReg refuses it).</item>
    /// </list>
    /// A duplicated property never gets here (DuplicateProperty, DtbValidator.Names.cs); the
    /// Seen flags stay as defence in depth. <paramref name="valueOffset"/> is the value's offset in the blob.
    /// </summary>
    private static DtbStatus CheckAddressing(Span<BusCells> buses, int depth, ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> value, int valueOffset)
    {
        // Dispatch on the length first: most properties are none of the three.
        switch (name.Length)
        {
            case 3:
                if (depth < 2 || !name.SequenceEqual("reg"u8))
                    return DtbStatus.Ok;
                ref BusCells parent = ref buses[depth - 1];
                if (parent.AddressCells == 0)
                    return DtbStatus.Fail(DtbError.BadCells, parent.AddressCellsOffset);
                if (value.Length % ((parent.AddressCells + parent.SizeCells) * DtCells.CellSize) != 0)
                    return DtbStatus.Fail(DtbError.BadValue, valueOffset);
                return DtbStatus.Ok;

            case 14:
                if (!name.SequenceEqual("#address-cells"u8))
                    return DtbStatus.Ok;
                if (!DtCells.TryReadU32(value, out uint addressCells) || addressCells > FdtLayout.MaxCells)
                    return DtbStatus.Fail(DtbError.BadCells, valueOffset);
                ref BusCells node = ref buses[depth];
                if (!node.AddressCellsSeen)
                {
                    node.AddressCells = (byte)addressCells;
                    node.AddressCellsOffset = valueOffset;
                    node.AddressCellsSeen = true;
                }
                return DtbStatus.Ok;

            case 11:
                if (!name.SequenceEqual("#size-cells"u8))
                    return DtbStatus.Ok;
                if (!DtCells.TryReadU32(value, out uint sizeCells) || sizeCells > FdtLayout.MaxCells)
                    return DtbStatus.Fail(DtbError.BadCells, valueOffset);
                ref BusCells bus = ref buses[depth];
                if (!bus.SizeCellsSeen)
                {
                    bus.SizeCells = (byte)sizeCells;
                    bus.SizeCellsSeen = true;
                }
                return DtbStatus.Ok;

            default:
                return DtbStatus.Ok;
        }
    }
}
