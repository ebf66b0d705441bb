using System;
using System.Buffers.Binary;

namespace GuestStub.Packager;

/// <summary>
/// The 64-byte arm64 Image header (Linux Documentation/arch/arm64/booting.rst), little endian:
/// code0/code1, text_offset, image_size, flags, three reserved words, magic "ARM\x64", res5.
/// </summary>
public readonly record struct Arm64ImageHeader(uint Code0, ulong TextOffset, ulong ImageSize, ulong Flags, uint Magic)
{
    public const int Size = 64;
    public const int Code0Offset = 0;
    public const int TextOffsetOffset = 8;
    public const int ImageSizeOffset = 16;
    public const int FlagsOffset = 24;
    public const int MagicOffset = 56;

    /// <summary>"ARM\x64" read as a little-endian u32.</summary>
    public const uint ExpectedMagic = 0x644d5241;

    /// <summary>Xen and Linux place the Image at a 2 MiB-aligned base plus text_offset.</summary>
    public const ulong BaseAlignment = 2 << 20;

    /// <summary>flags bit 0: kernel endianness, 1 = big endian.</summary>
    public const ulong FlagBigEndian = 1;
    /// <summary>flags bits 1-2: kernel page size, 1 = 4 KiB.</summary>
    public const int PageSizeShift = 1;
    public const ulong PageSizeMask = 3UL << PageSizeShift;
    public const ulong PageSize4K = 1;
    /// <summary>flags bit 3: physical placement (0 = the base must be 2 MiB aligned near the start of RAM).</summary>
    public const ulong FlagPlaceAnywhere = 1 << 3;
    /// <summary>flags bits 4-63 are reserved and must be zero.</summary>
    public const ulong ReservedFlagsMask = ~0xfUL;

    /// <summary>A64 unconditional branch B: bits 31-26 = 000101, imm26 word offset.</summary>
    public const uint BranchMask = 0xfc000000;
    public const uint BranchOpcode = 0x14000000;

    public static Arm64ImageHeader Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < Size)
            throw new ArgumentException($"an Image header is {Size} bytes, got {header.Length}", nameof(header));
        return new Arm64ImageHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(header[Code0Offset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(header[TextOffsetOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(header[ImageSizeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(header[FlagsOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[MagicOffset..]));
    }

    public bool Code0IsBranch => (Code0 & BranchMask) == BranchOpcode;

    /// <summary>The byte offset code0 branches to, relative to code0 (imm26 sign-extended, times 4).</summary>
    public long Code0BranchOffset => ((long)((int)(Code0 << 6) >> 6)) * 4;
}
