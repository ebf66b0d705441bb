using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GuestStub.DeviceTree;

/// <summary>
/// Checks a whole device-tree blob once, at the trust boundary, so that <see cref="Dtb"/>
/// can navigate afterwards without re-checking (libfdt's fdt_check_full, but stricter).
/// Checked: alignment, magic, versions, totalsize, every block's offset and size (overflow-proof:
/// an offset is compared with totalsize before a size is compared with what is left), the
/// memory reservation map, and every structure token: node names, property lengths, property
/// name offsets and names (their characters, and no name twice in a node: DtbValidator.Names.cs),
/// no two children of a node with the same name (DtbValidator.Siblings.cs),
/// nesting (no recursion; an explicit depth limit), a single unnamed
/// root, properties before child nodes, FDT_END exactly at the end of the structure block;
/// and, in the same pass, every node's addressing (DtbValidator.Cells.cs): #address-cells and
/// #size-cells, and every <c>reg</c> against its parent's cells.
/// </summary>
public static partial class DtbValidator
{
    /// <summary>Validates <paramref name="blob"/>; on success <paramref name="layout"/> holds the
    /// block bounds that navigation relies on.</summary>
    public static DtbStatus Validate(ReadOnlySpan<byte> blob, out DtbLayout layout) =>
        Validate(blob, out layout, out _);

    /// <summary>The same, also giving the work of the child-name duplicate check
    /// (<see cref="ChildNameStepsPerByte"/>: at most 17 steps a name byte, whatever the tree),
    /// so that tests can show it linear without timing it.</summary>
    public static unsafe DtbStatus Validate(ReadOnlySpan<byte> blob, out DtbLayout layout, out long childNameSteps)
    {
        layout = default;
        childNameSteps = 0;

        // libfdt (fdt_ro_probe_) wants the blob 8-byte aligned: with the MMU off every access is
        // Device memory and an unaligned word read faults.
        fixed (byte* start = &MemoryMarshal.GetReference(blob))
        {
            if (((nuint)start & 7) != 0)
                return DtbStatus.Fail(DtbError.BadAlignment, 0);
        }

        if (blob.Length < 4)
            return DtbStatus.Fail(DtbError.Truncated, blob.Length);
        uint magic = Word(blob, FdtLayout.MagicOffset);
        if (magic == FdtLayout.SwappedMagic)
            return DtbStatus.Fail(DtbError.SwappedMagic, FdtLayout.MagicOffset);
        if (magic != FdtLayout.Magic)
            return DtbStatus.Fail(DtbError.BadMagic, FdtLayout.MagicOffset);
        if (blob.Length < FdtLayout.HeaderSize)
            return DtbStatus.Fail(DtbError.Truncated, blob.Length);

        uint version = Word(blob, FdtLayout.VersionOffset);
        uint lastCompatible = Word(blob, FdtLayout.LastCompatibleVersionOffset);
        if (lastCompatible > FdtLayout.Version)
            return DtbStatus.Fail(DtbError.BadVersion, FdtLayout.LastCompatibleVersionOffset);
        if (version < FdtLayout.Version || version < lastCompatible)
            return DtbStatus.Fail(DtbError.BadVersion, FdtLayout.VersionOffset);

        uint totalSize = Word(blob, FdtLayout.TotalSizeOffset);
        if (totalSize < FdtLayout.HeaderSize)
            return DtbStatus.Fail(DtbError.BadTotalSize, FdtLayout.TotalSizeOffset);
        if (totalSize > (uint)blob.Length)
            return DtbStatus.Fail(DtbError.Truncated, blob.Length);
        blob = blob.Slice(0, (int)totalSize);

        DtbStatus status = CheckBlock(totalSize, Word(blob, FdtLayout.StructOffsetOffset), FdtLayout.StructOffsetOffset,
            Word(blob, FdtLayout.StructSizeOffset), FdtLayout.StructSizeOffset, 4, out int structStart, out int structEnd);
        if (!status.IsOk)
            return status;
        status = CheckBlock(totalSize, Word(blob, FdtLayout.StringsOffsetOffset), FdtLayout.StringsOffsetOffset,
            Word(blob, FdtLayout.StringsSizeOffset), FdtLayout.StringsSizeOffset, 1, out int stringsStart, out int stringsEnd);
        if (!status.IsOk)
            return status;
        if (structStart < stringsEnd && stringsStart < structEnd)
            return DtbStatus.Fail(DtbError.BadLayout, FdtLayout.StringsOffsetOffset);

        status = CheckReservationMap(blob, structStart, structEnd, stringsStart, stringsEnd,
            out int mapStart, out int reservationCount);
        if (!status.IsOk)
            return status;

        status = CheckStructure(blob, structStart, structEnd, stringsStart, stringsEnd - stringsStart, out int nodeCount,
            out childNameSteps);
        if (!status.IsOk)
            return status;

        layout = new DtbLayout((int)totalSize, structStart, structEnd, stringsStart, stringsEnd,
            mapStart, reservationCount, nodeCount, Word(blob, FdtLayout.BootCpuIdOffset), version);
        return DtbStatus.Ok;
    }

    /// <summary>A block must start after the header, lie inside totalsize, and be aligned.
    /// <paramref name="offset"/> is checked against totalsize before <paramref name="size"/> is
    /// compared with the room left, so offset + size is never computed when it could wrap.</summary>
    private static DtbStatus CheckBlock(uint totalSize, uint offset, int offsetField, uint size, int sizeField,
        int alignment, out int start, out int end)
    {
        start = end = 0;
        if (offset < FdtLayout.HeaderSize || offset > totalSize)
            return DtbStatus.Fail(DtbError.BadLayout, offsetField);
        if ((offset & (uint)(alignment - 1)) != 0)
            return DtbStatus.Fail(DtbError.BadAlignment, offsetField);
        if (size > totalSize - offset)
            return DtbStatus.Fail(DtbError.BadLayout, sizeField);
        start = (int)offset;
        end = (int)(offset + size);
        return DtbStatus.Ok;
    }

    /// <summary>Spec 5.3: 16-byte (address, size) entries ending with a (0, 0) entry. The map
    /// has no size field, so its room runs to the next block that starts after it.</summary>
    private static DtbStatus CheckReservationMap(ReadOnlySpan<byte> blob, int structStart, int structEnd,
        int stringsStart, int stringsEnd, out int mapStart, out int count)
    {
        count = 0;
        uint offset = Word(blob, FdtLayout.ReservationMapOffsetOffset);
        mapStart = 0;
        if (offset < FdtLayout.HeaderSize || offset > (uint)blob.Length)
            return DtbStatus.Fail(DtbError.BadLayout, FdtLayout.ReservationMapOffsetOffset);
        if ((offset & 7) != 0)
            return DtbStatus.Fail(DtbError.BadAlignment, FdtLayout.ReservationMapOffsetOffset);
        mapStart = (int)offset;

        int limit = blob.Length;
        if (!LimitBefore(mapStart, structStart, structEnd, ref limit) ||
            !LimitBefore(mapStart, stringsStart, stringsEnd, ref limit))
            return DtbStatus.Fail(DtbError.BadReservationMap, mapStart);

        for (int entry = mapStart; ; entry += FdtLayout.ReservationEntrySize)
        {
            if (limit - entry < FdtLayout.ReservationEntrySize)
                return DtbStatus.Fail(DtbError.BadReservationMap, entry);
            ulong address = BinaryPrimitives.ReadUInt64BigEndian(blob.Slice(entry, 8));
            ulong size = BinaryPrimitives.ReadUInt64BigEndian(blob.Slice(entry + 8, 8));
            if (address == 0 && size == 0)
                return DtbStatus.Ok;
            if (size > ulong.MaxValue - address)
                return DtbStatus.Fail(DtbError.AddressOverflow, entry);
            count++;
        }
    }

    /// <summary>Lowers <paramref name="limit"/> to the start of a non-empty block that begins
    /// at or after the map; false when the map starts inside that block.</summary>
    private static bool LimitBefore(int mapStart, int blockStart, int blockEnd, ref int limit)
    {
        if (blockStart == blockEnd)
            return true;
        if (mapStart >= blockStart && mapStart < blockEnd)
            return false;
        if (blockStart >= mapStart && blockStart < limit)
            limit = blockStart;
        return true;
    }

    private static DtbStatus CheckStructure(ReadOnlySpan<byte> blob, int start, int end,
        int stringsStart, int stringsSize, out int nodeCount, out long childNameSteps)
    {
        nodeCount = 0;
        childNameSteps = 0;
        ReadOnlySpan<byte> strings = blob.Slice(stringsStart, stringsSize);
        // Addressing state of the node open at each depth (index = depth, the root is 1): fixed
        // size, on the stack, so the walk stays allocation-free and without recursion.
        Span<BusCells> buses = stackalloc BusCells[FdtLayout.MaxDepth + 1];
        var names = new PropertyNames(stackalloc NameEntry[NameTableSize]);
        var children = new ChildNames(stackalloc ChildEntry[MaxChildNamesHeld], stackalloc byte[MaxChildNamesHeld],
            stackalloc ushort[FdtLayout.MaxDepth + 1], stackalloc ushort[FdtLayout.MaxDepth + 1]);
        bool namesClean = StringsHoldOnlyNameBytes(strings);
        int depth = 0;
        bool sawRoot = false;
        // Spec 5.4.2: a node's properties precede its children. Navigation relies on it: the
        // property list is the run of FDT_PROP right after FDT_BEGIN_NODE.
        bool childSeen = false;
        int pos = start;

        while (true)
        {
            if (pos == end)
                return DtbStatus.Fail(DtbError.BadStructure, pos);    // no FDT_END
            if (end - pos < FdtLayout.TokenSize)
                return DtbStatus.Fail(DtbError.Truncated, pos);
            int token = pos;
            uint tag = Word(blob, pos);
            pos += FdtLayout.TokenSize;

            switch (tag)
            {
                case FdtLayout.BeginNode:
                {
                    if (depth == 0 && sawRoot)
                        return DtbStatus.Fail(DtbError.BadRoot, token);
                    int nameLength = blob.Slice(pos, end - pos).IndexOf((byte)0);
                    if (nameLength < 0)
                        return DtbStatus.Fail(DtbError.BadName, pos);
                    if (depth == 0)
                    {
                        if (nameLength != 0)
                            return DtbStatus.Fail(DtbError.BadRoot, pos);
                        sawRoot = true;
                    }
                    else
                    {
                        int bad = FindBadNameByte(blob.Slice(pos, nameLength));
                        if (bad >= 0)
                            return DtbStatus.Fail(DtbError.BadName, pos + bad);
                    }
                    if (++depth > FdtLayout.MaxDepth)
                        return DtbStatus.Fail(DtbError.TooDeep, token);
                    if (depth > 1)
                    {
                        DtbError sibling = children.Add(blob, depth - 1, pos, nameLength);
                        if (sibling != DtbError.None)
                        {
                            childNameSteps = children.Steps;
                            return DtbStatus.Fail(sibling, token);
                        }
                    }
                    children.Open(depth);
                    buses[depth] = BusCells.Defaults;
                    names.Reset();
                    nodeCount++;
                    childSeen = false;
                    pos = FdtLayout.AlignToToken(pos + nameLength + 1);
                    if (pos > end)
                        return DtbStatus.Fail(DtbError.Truncated, end);
                    break;
                }
                case FdtLayout.EndNode:
                    if (depth == 0)
                        return DtbStatus.Fail(DtbError.BadStructure, token);
                    children.Close(depth);
                    depth--;
                    childSeen = true;
                    break;
                case FdtLayout.Prop:
                {
                    if (depth == 0 || childSeen)
                        return DtbStatus.Fail(DtbError.BadStructure, token);
                    if (end - pos < 8)
                        return DtbStatus.Fail(DtbError.Truncated, token);
                    uint length = Word(blob, pos);
                    uint nameOffset = Word(blob, pos + 4);
                    pos += 8;
                    if (length > (uint)(end - pos))
                        return DtbStatus.Fail(DtbError.BadPropertyLength, token + 4);
                    if (nameOffset >= (uint)stringsSize)
                        return DtbStatus.Fail(DtbError.BadStringOffset, token + 8);
                    int nameLength = strings.Slice((int)nameOffset).IndexOf((byte)0);
                    if (nameLength <= 0)
                        return DtbStatus.Fail(DtbError.BadPropertyName, stringsStart + (int)nameOffset);
                    ReadOnlySpan<byte> name = strings.Slice((int)nameOffset, nameLength);
                    int bad = namesClean ? -1 : FindBadPropertyNameByte(name);
                    if (bad >= 0)
                        return DtbStatus.Fail(DtbError.BadPropertyCharacter, stringsStart + (int)nameOffset + bad);
                    DtbError named = names.Add(blob, end, strings, token, (int)nameOffset, name, NameKey(name));
                    if (named != DtbError.None)
                        return DtbStatus.Fail(named, token);
                    DtbStatus cells = CheckAddressing(buses, depth, name, blob.Slice(pos, (int)length), pos);
                    if (!cells.IsOk)
                        return cells;
                    pos = FdtLayout.AlignToToken(pos + (int)length);
                    if (pos > end)
                        return DtbStatus.Fail(DtbError.Truncated, end);
                    break;
                }
                case FdtLayout.Nop:
                    break;
                case FdtLayout.End:
                    if (!sawRoot)
                        return DtbStatus.Fail(DtbError.BadRoot, token);
                    if (depth != 0)
                        return DtbStatus.Fail(DtbError.BadStructure, token);
                    if (pos != end)
                        return DtbStatus.Fail(DtbError.BadStructure, pos);
                    childNameSteps = children.Steps;
                    return DtbStatus.Ok;
                default:
                    return DtbStatus.Fail(DtbError.BadToken, token);
            }
        }
    }

    /// <summary>Index of the first byte a node name may not hold, or -1: the characters of spec
    /// v0.4 2.2.1's node-name[@unit-address], [0-9a-zA-Z,._+-] in both parts, and one '@' at most
    /// (dtc's node_name_chars and node_name_format checks, errors there too). An empty name is
    /// refused; an empty part ("@0", "cpu@") and a name not starting with a letter are not, as
    /// dtc only warns of them.</summary>
    private static int FindBadNameByte(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
            return 0;
        bool unitAddress = false;
        for (int i = 0; i < name.Length; i++)
        {
            byte c = name[i];
            if ((uint)(c - 'a') <= 'z' - 'a')
                continue;    // most of a name: one compare
            if (c == (byte)'@' && !unitAddress)
                unitAddress = true;
            else if (!IsNodeNameByte(c))
                return i;
        }
        return -1;
    }

    private static uint Word(ReadOnlySpan<byte> blob, int offset) =>
        BinaryPrimitives.ReadUInt32BigEndian(blob.Slice(offset, 4));
}
