using System;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// The fields a record may hold. A field is a number (8 bytes, <c>u64</c>), a pair of numbers
/// (16 bytes: a range's start and size), or bytes (ASCII text or a blob). Tags may repeat
/// (a list of regions). The numbers are the file format's: never renumber one.
/// </summary>
public enum VectorTag : ushort
{
    None = 0,

    /// <summary>Bytes: the vector's name, unique within its file.</summary>
    Name = 1,

    /// <summary>Bytes: a device-tree blob (8-byte aligned in the file).</summary>
    Blob = 2,

    /// <summary>u64: where in <see cref="Blob"/> the reader's span starts (4 for a misaligned blob).</summary>
    BlobStart = 3,

    /// <summary>u64: the length of the reader's span (shorter than the blob for a truncated one).</summary>
    BlobLength = 4,

    /// <summary>u64: the expected <c>DtbError</c>.</summary>
    Error = 5,

    /// <summary>u64: the expected byte offset.</summary>
    Offset = 6,

    /// <summary>Pair: where the DTB lies in guest-physical memory (start, size).</summary>
    DtbRange = 7,

    /// <summary>Pair: where the stub's image lies.</summary>
    ImageRange = 8,

    /// <summary>Bytes: the expected text, lines ending in '\n'.</summary>
    Expected = 9,

    /// <summary>Pair: region 0 of the hypervisor node (the grant table's).</summary>
    GrantRegion = 10,

    /// <summary>Pair, repeated: an extended region as the tree gives it (start, size; any values).</summary>
    Region = 11,

    /// <summary>Pair, repeated: a RAM bank.</summary>
    Ram = 12,

    /// <summary>Pair, repeated: a reserved range.</summary>
    Reserved = 13,

    /// <summary>Pair: the addressable range the resource is clamped to.</summary>
    Clamp = 14,

    /// <summary>u64: log2 of the scratch chunk size.</summary>
    ChunkShift = 15,

    /// <summary>u64: chunks the metadata span holds.</summary>
    MaxChunks = 16,

    /// <summary>u64: the sequence's PRNG seed.</summary>
    Seed = 17,

    /// <summary>u64: operations in the sequence.</summary>
    Operations = 18,

    /// <summary>u64: the largest batch one operation allocates or frees.</summary>
    MaxBatch = 19,

    /// <summary>u64: the most pages held at once.</summary>
    MaxHeld = 20,

    /// <summary>Bytes: the function under test, by name ("report.hex", "bits.tzcnt64").</summary>
    Function = 21,

    /// <summary>Bytes: a report key.</summary>
    Key = 22,

    /// <summary>u64, repeated: the function's arguments, in order.</summary>
    Argument = 23,

    /// <summary>u64: the function's expected result.</summary>
    Result = 24,

    /// <summary>Pair, repeated: a range to ask a finished set about (<c>IsUsable</c>).</summary>
    Probe = 25,

    /// <summary>Bytes: a text argument (a report value).</summary>
    Text = 26,

    /// <summary>u64: the longest run of contiguous pages one scratch operation asks for; present
    /// and above 0, the sequence also allocates and frees runs.</summary>
    MaxRun = 27,
}

/// <summary>Tag names for failure details ("missing field seed").</summary>
public static class VectorTagText
{
    // In VectorTag's order (None = 0 first).
    private static ReadOnlySpan<byte> Names =>
        "none\0"u8 + "name\0"u8 + "blob\0"u8 + "blob-start\0"u8 + "blob-length\0"u8 + "error\0"u8 + "offset\0"u8 +
        "dtb-range\0"u8 + "image-range\0"u8 + "expected\0"u8 + "grant-region\0"u8 + "region\0"u8 + "ram\0"u8 +
        "reserved\0"u8 + "clamp\0"u8 + "chunk-shift\0"u8 + "max-chunks\0"u8 + "seed\0"u8 + "operations\0"u8 +
        "max-batch\0"u8 + "max-held\0"u8 + "function\0"u8 + "key\0"u8 + "argument\0"u8 + "result\0"u8 + "probe\0"u8 + "text\0"u8 +
        "max-run\0"u8;

    public static ReadOnlySpan<byte> Name(VectorTag tag)
    {
        ReadOnlySpan<byte> name = NameTable.Get(Names, (long)tag);
        return name.IsEmpty ? "unknown"u8 : name;
    }
}
