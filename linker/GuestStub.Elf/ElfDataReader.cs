using System;
using System.Buffers.Binary;

namespace GuestStub.Elf;

/// <summary>
/// Reads fixed-layout fields out of one ELF record (header, table entry) whose span the caller has
/// already bounds-checked with <see cref="ElfBounds"/>. Handles byte order and the class-dependent
/// width of addresses, offsets and the "word" fields (sh_flags, sh_size, ...).
/// </summary>
internal readonly ref struct ElfDataReader
{
    private readonly ReadOnlySpan<byte> _record;
    private readonly bool _bigEndian;
    private readonly bool _is64;

    public ElfDataReader(ReadOnlySpan<byte> record, ElfClass elfClass, ElfEncoding encoding)
    {
        _record = record;
        _is64 = elfClass == ElfClass.Elf64;
        _bigEndian = encoding == ElfEncoding.BigEndian;
    }

    public byte U8(int offset) => _record[offset];

    public ushort U16(int offset)
    {
        ReadOnlySpan<byte> s = _record.Slice(offset, 2);
        return _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
    }

    public uint U32(int offset)
    {
        ReadOnlySpan<byte> s = _record.Slice(offset, 4);
        return _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
    }

    public ulong U64(int offset)
    {
        ReadOnlySpan<byte> s = _record.Slice(offset, 8);
        return _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
    }

    /// <summary>An Elf32_Addr/Elf32_Off/Elf32_Word or its 64-bit counterpart, by class.</summary>
    public ulong Word(int offset) => _is64 ? U64(offset) : U32(offset);

    /// <summary>A signed Elf32_Sword/Elf64_Sxword (r_addend), by class.</summary>
    public long SignedWord(int offset) => _is64 ? (long)U64(offset) : (int)U32(offset);
}
