using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GuestStub.Vectors;

/// <summary>
/// A vector file, checked whole by <see cref="Open"/> (header, checksum, every record and field
/// inside its bounds), then read without further checks, the way <c>Dtb</c> trusts what
/// <c>DtbValidator</c> passed. Records are visited in file order with <see cref="TryGetNext"/>.
/// </summary>
public readonly ref struct VectorFile
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _count;
    private readonly uint _checksum;

    private VectorFile(ReadOnlySpan<byte> data, int count, uint checksum)
    {
        _data = data;
        _count = count;
        _checksum = checksum;
    }

    /// <summary>Records in the file.</summary>
    public int Count => _count;

    /// <summary>The header's checksum: the file's identity, printed by the guest so a test can
    /// tell that it ran the same bytes as the host.</summary>
    public uint Checksum => _checksum;

    /// <summary>The file's bytes, cut to its size.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>Checks <paramref name="data"/> and opens it; <paramref name="data"/> may be longer
    /// than the file (a file in a larger buffer).</summary>
    public static unsafe VectorFileStatus Open(ReadOnlySpan<byte> data, out VectorFile file)
    {
        file = default;
        fixed (byte* start = &MemoryMarshal.GetReference(data))
        {
            if (((nuint)start & (VectorLayout.Alignment - 1)) != 0)
                return VectorFileStatus.Fail(VectorFileError.Misaligned, 0);
        }
        if (data.Length < VectorLayout.HeaderSize)
            return VectorFileStatus.Fail(VectorFileError.Truncated, data.Length);
        if (!data.Slice(VectorLayout.MagicOffset, VectorLayout.MagicSize).SequenceEqual(VectorLayout.Magic))
            return VectorFileStatus.Fail(VectorFileError.BadMagic, VectorLayout.MagicOffset);
        if (U32(data, VectorLayout.VersionOffset) != VectorLayout.Version)
            return VectorFileStatus.Fail(VectorFileError.BadVersion, VectorLayout.VersionOffset);
        uint size = U32(data, VectorLayout.SizeOffset);
        if (size < VectorLayout.HeaderSize || size > VectorLayout.MaxFileSize || size % VectorLayout.Alignment != 0)
            return VectorFileStatus.Fail(VectorFileError.BadSize, VectorLayout.SizeOffset);
        if (size > (uint)data.Length)
            return VectorFileStatus.Fail(VectorFileError.Truncated, data.Length);
        data = data.Slice(0, (int)size);
        uint checksum = U32(data, VectorLayout.ChecksumOffset);
        if (VectorLayout.Checksum(data.Slice(VectorLayout.HeaderSize)) != checksum)
            return VectorFileStatus.Fail(VectorFileError.BadChecksum, VectorLayout.ChecksumOffset);

        int records = 0;
        for (int at = VectorLayout.HeaderSize; at < data.Length; records++)
        {
            VectorFileStatus status = CheckRecord(data, at, out int next);
            if (!status.IsOk)
                return status;
            at = next;
        }
        if ((uint)records != U32(data, VectorLayout.CountOffset))
            return VectorFileStatus.Fail(VectorFileError.BadCount, VectorLayout.CountOffset);
        file = new VectorFile(data, records, checksum);
        return VectorFileStatus.Ok;
    }

    /// <summary>One record at <paramref name="at"/> (8-aligned, since every size is): its size
    /// inside the file, its fields exactly filling it.</summary>
    private static VectorFileStatus CheckRecord(ReadOnlySpan<byte> data, int at, out int next)
    {
        next = 0;
        if (data.Length - at < VectorLayout.RecordHeaderSize)
            return VectorFileStatus.Fail(VectorFileError.BadRecord, at);
        uint size = U32(data, at + VectorLayout.RecordSizeOffset);
        if (size < VectorLayout.RecordHeaderSize || size % VectorLayout.Alignment != 0 || size > (uint)(data.Length - at))
            return VectorFileStatus.Fail(VectorFileError.BadRecord, at);
        int end = at + (int)size;
        int fields = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(at + VectorLayout.RecordFieldCountOffset, 2));
        int field = at + VectorLayout.RecordHeaderSize;
        for (int i = 0; i < fields; i++)
        {
            if (end - field < VectorLayout.FieldHeaderSize)
                return VectorFileStatus.Fail(VectorFileError.BadField, field);
            if (BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(field + VectorLayout.FieldReservedOffset, 2)) != 0)
                return VectorFileStatus.Fail(VectorFileError.BadField, field + VectorLayout.FieldReservedOffset);
            uint length = U32(data, field + VectorLayout.FieldLengthOffset);
            // Compared with the room left before it is rounded, so the rounding cannot overflow.
            if (length > (uint)(end - field - VectorLayout.FieldHeaderSize))
                return VectorFileStatus.Fail(VectorFileError.BadField, field + VectorLayout.FieldLengthOffset);
            field += VectorLayout.FieldHeaderSize + VectorLayout.Align((int)length);
            if (field > end)
                return VectorFileStatus.Fail(VectorFileError.BadField, field);
        }
        if (field != end)
            return VectorFileStatus.Fail(VectorFileError.BadRecord, at);
        next = end;
        return VectorFileStatus.Ok;
    }

    /// <summary>The record after the one at <paramref name="position"/> (0: the first); false
    /// after the last. <paramref name="position"/> is advanced.</summary>
    public bool TryGetNext(scoped ref int position, out VectorRecord record)
    {
        record = default;
        int at = position == 0 ? VectorLayout.HeaderSize : position;
        if (at >= _data.Length)
            return false;
        int size = (int)U32(_data, at + VectorLayout.RecordSizeOffset);
        record = new VectorRecord(_data.Slice(at, size), at);
        position = at + size;
        return true;
    }

    /// <summary>Record <paramref name="index"/> in file order (a walk from the start).</summary>
    public bool TryGetRecord(int index, out VectorRecord record)
    {
        int position = 0;
        for (int i = 0; TryGetNext(ref position, out record); i++)
        {
            if (i == index)
                return true;
        }
        record = default;
        return false;
    }

    internal static uint U32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(offset, 4));
}
