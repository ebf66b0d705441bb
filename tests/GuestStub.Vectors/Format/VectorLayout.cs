using System;

namespace GuestStub.Vectors;

/// <summary>
/// The byte layout of a vector file (tests/vectors/README.md), as named offsets derived from each
/// other. Little-endian throughout, every record and field 8-byte aligned from the start of the
/// file, so a blob inside a field is as aligned as the file (a DTB needs 8).
/// <code>
/// file   = header record*            header = magic[8] version:u32 size:u32 count:u32 checksum:u32
/// record = size:u32 suite:u16 fields:u16 field*      (size includes its 8-byte header)
/// field  = tag:u16 reserved:u16 length:u32 data[length] padding to 8
/// </code>
/// The checksum is FNV-1a (32 bits) over every byte after the header, so a file cut short or
/// changed on the way into an image is refused before any vector runs.
/// </summary>
public static class VectorLayout
{
    /// <summary>"GSVECTOR".</summary>
    public static ReadOnlySpan<byte> Magic => "GSVECTOR"u8;

    public const int MagicOffset = 0;
    public const int MagicSize = 8;
    public const int VersionOffset = MagicOffset + MagicSize;
    public const int SizeOffset = VersionOffset + 4;
    public const int CountOffset = SizeOffset + 4;
    public const int ChecksumOffset = CountOffset + 4;
    public const int HeaderSize = ChecksumOffset + 4;

    /// <summary>The format this reader knows.</summary>
    public const uint Version = 1;

    public const int Alignment = 8;

    public const int RecordSizeOffset = 0;
    public const int RecordSuiteOffset = RecordSizeOffset + 4;
    public const int RecordFieldCountOffset = RecordSuiteOffset + 2;
    public const int RecordHeaderSize = RecordFieldCountOffset + 2;

    public const int FieldTagOffset = 0;
    public const int FieldReservedOffset = FieldTagOffset + 2;
    public const int FieldLengthOffset = FieldReservedOffset + 2;
    public const int FieldHeaderSize = FieldLengthOffset + 4;

    /// <summary>A file larger than this is refused (the biggest today is about 0.2 MiB).</summary>
    public const int MaxFileSize = 16 * 1024 * 1024;

    /// <summary><paramref name="length"/> rounded up to <see cref="Alignment"/>; the caller keeps
    /// it below <see cref="MaxFileSize"/>, so it cannot overflow.</summary>
    public static int Align(int length) => (length + (Alignment - 1)) & ~(Alignment - 1);

    /// <summary>FNV-1a, 32 bits, of <paramref name="data"/>: the file checksum.</summary>
    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint hash = 2166136261;
        for (int i = 0; i < data.Length; i++)
            hash = (hash ^ data[i]) * 16777619;
        return hash;
    }
}
