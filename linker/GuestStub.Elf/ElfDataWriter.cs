using System;
using System.Buffers.Binary;

namespace GuestStub.Elf;

/// <summary>The mirror of <see cref="ElfDataReader"/>: writes fields of one record in the file's byte order.</summary>
internal readonly ref struct ElfDataWriter
{
    private readonly Span<byte> _record;
    private readonly bool _bigEndian;
    private readonly bool _is64;

    public ElfDataWriter(Span<byte> record, ElfClass elfClass, ElfEncoding encoding)
    {
        _record = record;
        _is64 = elfClass == ElfClass.Elf64;
        _bigEndian = encoding == ElfEncoding.BigEndian;
    }

    public void U8(int offset, byte value) => _record[offset] = value;

    public void U16(int offset, ushort value)
    {
        Span<byte> s = _record.Slice(offset, 2);
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(s, value);
        else BinaryPrimitives.WriteUInt16LittleEndian(s, value);
    }

    public void U32(int offset, uint value)
    {
        Span<byte> s = _record.Slice(offset, 4);
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(s, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(s, value);
    }

    public void U64(int offset, ulong value)
    {
        Span<byte> s = _record.Slice(offset, 8);
        if (_bigEndian) BinaryPrimitives.WriteUInt64BigEndian(s, value);
        else BinaryPrimitives.WriteUInt64LittleEndian(s, value);
    }

    /// <summary>Writes a class-width field; a 32-bit file keeps only the low 32 bits (callers verify first).</summary>
    public void Word(int offset, ulong value)
    {
        if (_is64) U64(offset, value);
        else U32(offset, unchecked((uint)value));
    }

    public void SignedWord(int offset, long value) => Word(offset, unchecked((ulong)value));
}
