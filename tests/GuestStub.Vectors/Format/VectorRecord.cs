using System;
using System.Buffers.Binary;

namespace GuestStub.Vectors;

/// <summary>
/// One record of a checked <see cref="VectorFile"/>: its suite, name and fields. Lookups walk the
/// fields (a record has a few dozen at most); a field of the wrong size reads as absent, so a
/// checker reports "missing field" rather than misreading it.
/// </summary>
public readonly ref struct VectorRecord
{
    private readonly ReadOnlySpan<byte> _record;

    /// <summary>Byte offset of the record in its file (for messages).</summary>
    public readonly int FileOffset;

    internal VectorRecord(ReadOnlySpan<byte> record, int fileOffset)
    {
        _record = record;
        FileOffset = fileOffset;
    }

    public VectorSuite Suite => (VectorSuite)BinaryPrimitives.ReadUInt16LittleEndian(_record.Slice(VectorLayout.RecordSuiteOffset, 2));

    /// <summary>The <see cref="VectorTag.Name"/> field; empty when absent.</summary>
    public ReadOnlySpan<byte> Name
    {
        get
        {
            TryGetBytes(VectorTag.Name, 0, out ReadOnlySpan<byte> name);
            return name;
        }
    }

    /// <summary>How many fields carry <paramref name="tag"/>.</summary>
    public int Count(VectorTag tag)
    {
        int count = 0;
        int at = 0;
        while (TryNextField(ref at, out VectorTag found, out _))
        {
            if (found == tag)
                count++;
        }
        return count;
    }

    /// <summary>The data of the <paramref name="occurrence"/>-th field with <paramref name="tag"/>.</summary>
    public bool TryGetBytes(VectorTag tag, int occurrence, out ReadOnlySpan<byte> data)
    {
        int at = 0;
        while (TryNextField(ref at, out VectorTag found, out data))
        {
            if (found == tag && occurrence-- == 0)
                return true;
        }
        data = default;
        return false;
    }

    public bool TryGetBytes(VectorTag tag, out ReadOnlySpan<byte> data) => TryGetBytes(tag, 0, out data);

    /// <summary>A number field (8 bytes).</summary>
    public bool TryGetU64(VectorTag tag, int occurrence, out ulong value)
    {
        value = 0;
        if (!TryGetBytes(tag, occurrence, out ReadOnlySpan<byte> data) || data.Length != 8)
            return false;
        value = BinaryPrimitives.ReadUInt64LittleEndian(data);
        return true;
    }

    public bool TryGetU64(VectorTag tag, out ulong value) => TryGetU64(tag, 0, out value);

    /// <summary>A pair field (16 bytes): a range's start and size, or any two numbers.</summary>
    public bool TryGetPair(VectorTag tag, int occurrence, out ulong first, out ulong second)
    {
        first = second = 0;
        if (!TryGetBytes(tag, occurrence, out ReadOnlySpan<byte> data) || data.Length != 16)
            return false;
        first = BinaryPrimitives.ReadUInt64LittleEndian(data);
        second = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(8));
        return true;
    }

    public bool TryGetPair(VectorTag tag, out ulong first, out ulong second) => TryGetPair(tag, 0, out first, out second);

    /// <summary>The field after <paramref name="at"/> (0: the first, then an offset in the record).</summary>
    private bool TryNextField(scoped ref int at, out VectorTag tag, out ReadOnlySpan<byte> data)
    {
        if (at == 0)
            at = VectorLayout.RecordHeaderSize;
        tag = VectorTag.None;
        data = default;
        if (at >= _record.Length)
            return false;
        tag = (VectorTag)BinaryPrimitives.ReadUInt16LittleEndian(_record.Slice(at + VectorLayout.FieldTagOffset, 2));
        int length = (int)VectorFile.U32(_record, at + VectorLayout.FieldLengthOffset);
        data = _record.Slice(at + VectorLayout.FieldHeaderSize, length);
        at += VectorLayout.FieldHeaderSize + VectorLayout.Align(length);
        return true;
    }
}
