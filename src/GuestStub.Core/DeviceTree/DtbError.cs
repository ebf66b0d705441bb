namespace GuestStub.DeviceTree;

/// <summary>
/// Why a device-tree blob, or a value read from it, was refused. In the spirit of libfdt's
/// FDT_ERR_* codes, but each cause is narrower so that a one-line report can name it. Always
/// paired with the byte offset in the blob where the problem was found (<see cref="DtbStatus"/>).
/// </summary>
public enum DtbError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The buffer is shorter than the header, than <c>totalsize</c>, or a record
    /// (token, reservation entry) runs past the end of its block.</summary>
    Truncated,

    /// <summary>The first word is not 0xd00dfeed.</summary>
    BadMagic,

    /// <summary>The first word is 0xd00dfeed byte-swapped: a little-endian blob or a blob
    /// copied with the wrong word order.</summary>
    SwappedMagic,

    /// <summary><c>version</c> is below 17 (this reader needs <c>size_dt_struct</c>),
    /// <c>last_comp_version</c> is above 17 (a format this reader does not know), or
    /// <c>version</c> &lt; <c>last_comp_version</c>.</summary>
    BadVersion,

    /// <summary><c>totalsize</c> is smaller than the header.</summary>
    BadTotalSize,

    /// <summary>A block (reservation map, structure, strings) starts inside the header, lies
    /// past <c>totalsize</c>, wraps 2^32, or overlaps another block.</summary>
    BadLayout,

    /// <summary>The blob is not 8-byte aligned in memory, the reservation map is not 8-byte
    /// aligned, or the structure block is not 4-byte aligned (devicetree spec v0.4, 5.1).</summary>
    BadAlignment,

    /// <summary>The memory reservation map has no terminating (0, 0) entry before the end of
    /// the blob, or runs into the structure or strings block.</summary>
    BadReservationMap,

    /// <summary>An unknown structure-block token.</summary>
    BadToken,

    /// <summary>The nesting of BEGIN_NODE / END_NODE is wrong: END_NODE at depth 0, a node
    /// left open at FDT_END, no FDT_END, a property outside a node or after a child node,
    /// or data after FDT_END.</summary>
    BadStructure,

    /// <summary>No root node, a root node with a name, or a second root node.</summary>
    BadRoot,

    /// <summary>A node name is unterminated, empty, or has a character outside the spec's
    /// [0-9a-zA-Z,._+-] or a second '@' (DtbValidator.FindBadNameByte).</summary>
    BadName,

    /// <summary>A property's length runs past the end of the structure block.</summary>
    BadPropertyLength,

    /// <summary>A property's name offset lies outside the strings block.</summary>
    BadStringOffset,

    /// <summary>A property name is empty or not NUL-terminated inside the strings block.</summary>
    BadPropertyName,

    /// <summary>Nodes nest deeper than <see cref="FdtLayout.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>#address-cells, #size-cells or #interrupt-cells is not one cell long or out
    /// of range (address cells 1..4, size cells 0..4, interrupt cells 1..4). The validator
    /// checks #address-cells and #size-cells on every node and accepts #address-cells 0 on a
    /// node none of whose children has a <c>reg</c>; a <c>reg</c> under it is BadCells at that
    /// #address-cells. The offset is that of the property's value.</summary>
    BadCells,

    /// <summary>A property value has the wrong shape: a length that is not a multiple of its
    /// cells (the validator checks every <c>reg</c> against its parent's cells), a string not
    /// NUL-terminated, a value that does not fit in 64 bits. The offset is that of the value
    /// (or of the entry, for a number that does not fit).</summary>
    BadValue,

    /// <summary>An address + size passes 2^64 - 1: the exclusive end of the range must be
    /// representable (see <see cref="GuestStub.Memory.PhysicalRange"/>).</summary>
    AddressOverflow,

    /// <summary>A node or property that was required is absent.</summary>
    NotFound,

    /// <summary>A phandle reference points at no node.</summary>
    BadPhandle,

    /// <summary>A path is malformed or an alias it names does not exist.</summary>
    BadPath,

    /// <summary>More entries than a fixed-capacity table holds (boot facts have no heap).</summary>
    TooMany,

    // Added after the first release of the guest: new causes go at the end, since the guest
    // prints DtbErrorText's phrases by position.

    /// <summary>A property name has a character outside devicetree spec v0.4 table 2.2
    /// ([0-9a-zA-Z,._+?#-]). The offset is that of the character in the strings block.</summary>
    BadPropertyCharacter,

    /// <summary>A node has two properties of the same name (dtc: "Duplicate property name").
    /// The offset is that of the second one's FDT_PROP token.</summary>
    DuplicateProperty,

    /// <summary>The tree has more properties than the duplicate check's bound: the work of one
    /// node of <see cref="DtbValidator.MaxPropertiesPerNode"/> properties, for the whole tree
    /// (the check's time past 256 properties in a node grows with the square of their number).
    /// The offset is that of the first property past the bound.</summary>
    TooManyProperties,

    /// <summary>A node has two children of the same name, unit address included (dtc:
    /// "Duplicate node name"). The offset is that of the second one's FDT_BEGIN_NODE token.</summary>
    DuplicateNode,

    /// <summary>A node's child did not fit in the duplicate check's
    /// <see cref="DtbValidator.MaxChildNamesHeld"/> names, held for the children seen so far of
    /// every open node (the node being walked and its ancestors). The offset is that of the
    /// child's FDT_BEGIN_NODE token.</summary>
    TooManyChildNodes,
}
