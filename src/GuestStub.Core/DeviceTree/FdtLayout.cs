namespace GuestStub.DeviceTree;

/// <summary>
/// The flattened device-tree format (devicetree specification v0.4, chapter 5): header field
/// offsets, structure tokens and the limits this reader enforces. All header fields and
/// tokens are big-endian 32-bit words.
/// </summary>
public static class FdtLayout
{
    public const uint Magic = 0xd00dfeed;
    public const uint SwappedMagic = 0xedfe0dd0;

    // Header fields (spec 5.2, struct fdt_header), each derived from the one before.
    public const int MagicOffset = 0;
    public const int TotalSizeOffset = MagicOffset + 4;
    public const int StructOffsetOffset = TotalSizeOffset + 4;
    public const int StringsOffsetOffset = StructOffsetOffset + 4;
    public const int ReservationMapOffsetOffset = StringsOffsetOffset + 4;
    public const int VersionOffset = ReservationMapOffsetOffset + 4;
    public const int LastCompatibleVersionOffset = VersionOffset + 4;
    public const int BootCpuIdOffset = LastCompatibleVersionOffset + 4;
    public const int StringsSizeOffset = BootCpuIdOffset + 4;
    public const int StructSizeOffset = StringsSizeOffset + 4;

    /// <summary>Size of a version 17 header.</summary>
    public const int HeaderSize = StructSizeOffset + 4;

    /// <summary>The only layout this reader parses: version 17 added <c>size_dt_struct</c>,
    /// which bounds the walk. dtc and Xen write version 17 with last_comp_version 16.</summary>
    public const uint Version = 17;

    /// <summary>One memory reservation entry: two big-endian u64 (address, size), spec 5.3.</summary>
    public const int ReservationEntrySize = 16;

    // Structure block tokens (spec 5.4.1).
    public const uint BeginNode = 0x1;
    public const uint EndNode = 0x2;
    public const uint Prop = 0x3;
    public const uint Nop = 0x4;
    public const uint End = 0x9;

    public const int TokenSize = 4;

    /// <summary>FDT_PROP is followed by len and nameoff, then the value.</summary>
    public const int PropHeaderSize = TokenSize + 8;

    /// <summary>Deepest nesting accepted (the root is depth 1). Linux's FDT_MAX_DEPTH is 64;
    /// the walk itself needs no stack, the limit bounds work on hostile input.</summary>
    public const int MaxDepth = 64;

    /// <summary>libfdt's FDT_MAX_NCELLS: #address-cells and #size-cells are at most 4.</summary>
    public const int MaxCells = 4;

    /// <summary>Rounds a structure-block offset up to the next token boundary.</summary>
    public static int AlignToToken(int offset) => (offset + 3) & ~3;
}
