using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace GuestStub.Vectors.Generator;

/// <summary>Writes one vector file in the layout <see cref="VectorLayout"/> describes (the reader
/// is GuestStub.Vectors' <c>VectorFile</c>).</summary>
public sealed class VectorFileWriter
{
    private readonly List<byte[]> _records = new();
    private readonly HashSet<string> _names = new();

    public int Count => _records.Count;

    /// <summary>A new record; its name must be unique in the file.</summary>
    public Record Add(VectorSuite suite, string name)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"two vectors named '{name}'");
        var record = new Record(this, suite);
        record.Bytes(VectorTag.Name, Encoding.ASCII.GetBytes(name));
        return record;
    }

    public byte[] Build()
    {
        var body = new List<byte>();
        foreach (byte[] r in _records)
            body.AddRange(r);
        var file = new byte[VectorLayout.HeaderSize + body.Count];
        VectorLayout.Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(VectorLayout.VersionOffset), VectorLayout.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(VectorLayout.SizeOffset), (uint)file.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(VectorLayout.CountOffset), (uint)_records.Count);
        body.CopyTo(file, VectorLayout.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(VectorLayout.ChecksumOffset),
            VectorLayout.Checksum(file.AsSpan(VectorLayout.HeaderSize)));
        return file;
    }

    /// <summary>One record's fields, in the order they are added; added to the file by <see cref="End"/>.</summary>
    public sealed class Record
    {
        private readonly VectorFileWriter _file;
        private readonly VectorSuite _suite;
        private readonly List<byte> _fields = new();
        private int _count;

        internal Record(VectorFileWriter file, VectorSuite suite)
        {
            _file = file;
            _suite = suite;
        }

        public Record Bytes(VectorTag tag, ReadOnlySpan<byte> data)
        {
            Span<byte> header = stackalloc byte[VectorLayout.FieldHeaderSize];
            BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(VectorLayout.FieldTagOffset), (ushort)tag);
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(VectorLayout.FieldLengthOffset), (uint)data.Length);
            _fields.AddRange(header.ToArray());
            _fields.AddRange(data.ToArray());
            while (_fields.Count % VectorLayout.Alignment != 0)
                _fields.Add(0);
            _count++;
            return this;
        }

        public Record Text(VectorTag tag, string text) => Bytes(tag, Encoding.ASCII.GetBytes(text));

        public Record U64(VectorTag tag, ulong value)
        {
            Span<byte> data = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(data, value);
            return Bytes(tag, data);
        }

        public Record Pair(VectorTag tag, ulong first, ulong second)
        {
            Span<byte> data = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(data, first);
            BinaryPrimitives.WriteUInt64LittleEndian(data.Slice(8), second);
            return Bytes(tag, data);
        }

        /// <summary>Adds the record to its file.</summary>
        public void End()
        {
            var record = new byte[VectorLayout.RecordHeaderSize + _fields.Count];
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(VectorLayout.RecordSizeOffset), (uint)record.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(VectorLayout.RecordSuiteOffset), (ushort)_suite);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(VectorLayout.RecordFieldCountOffset), (ushort)_count);
            _fields.CopyTo(record, VectorLayout.RecordHeaderSize);
            _file._records.Add(record);
        }
    }
}
