using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using GuestStub.DeviceTree;

namespace GuestStub.Tests.TestSupport;

/// <summary>
/// Writes flattened device trees token by token, including malformed ones, laid out as dtc
/// does: header, reservation map at 40, structure block, strings block. Offsets of interest
/// are recorded with <see cref="Mark"/> (relative to the structure block) and turned into
/// blob offsets with <see cref="StructStart"/> after <see cref="Build"/>.
/// </summary>
public sealed class FdtBuilder
{
    private readonly List<byte> _struct = new();
    private readonly List<byte> _strings = new();
    private readonly Dictionary<string, int> _names = new();
    private readonly List<(ulong Address, ulong Size)> _reservations = new();

    public bool TerminateReservations { get; set; } = true;

    public int StructStart => FdtLayout.HeaderSize + 16 * (_reservations.Count + (TerminateReservations ? 1 : 0));
    public int StructSize => _struct.Count;
    public int StringsStart => StructStart + _struct.Count;
    public int StringsSize => _strings.Count;
    public int TotalSize => StringsStart + _strings.Count;

    /// <summary>Current position in the structure block.</summary>
    public int Mark => _struct.Count;

    /// <summary>Blob offset of a <see cref="Mark"/>.</summary>
    public int At(int mark) => StructStart + mark;

    public FdtBuilder Reserve(ulong address, ulong size)
    {
        _reservations.Add((address, size));
        return this;
    }

    public FdtBuilder Token(uint token)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, token);
        _struct.AddRange(b.ToArray());
        return this;
    }

    public FdtBuilder Raw(params byte[] bytes)
    {
        _struct.AddRange(bytes);
        return this;
    }

    public FdtBuilder Pad()
    {
        while (_struct.Count % 4 != 0)
            _struct.Add(0);
        return this;
    }

    public FdtBuilder Begin(string name)
    {
        Token(FdtLayout.BeginNode);
        _struct.AddRange(Encoding.ASCII.GetBytes(name));
        _struct.Add(0);
        return Pad();
    }

    public FdtBuilder EndNode() => Token(FdtLayout.EndNode);
    public FdtBuilder Nop() => Token(FdtLayout.Nop);
    public FdtBuilder End() => Token(FdtLayout.End);

    public int NameOffset(string name)
    {
        if (!_names.TryGetValue(name, out int offset))
        {
            offset = _strings.Count;
            _names[name] = offset;
            _strings.AddRange(Encoding.ASCII.GetBytes(name));
            _strings.Add(0);
        }
        return offset;
    }

    /// <summary>Appends raw bytes to the strings block (for unterminated names).</summary>
    public int RawString(byte[] bytes)
    {
        int offset = _strings.Count;
        _strings.AddRange(bytes);
        return offset;
    }

    public FdtBuilder Prop(string name, byte[] value) => PropRaw((uint)value.Length, (uint)NameOffset(name), value);

    public FdtBuilder PropRaw(uint length, uint nameOffset, byte[] value)
    {
        Token(FdtLayout.Prop);
        Token(length);
        Token(nameOffset);
        _struct.AddRange(value);
        return Pad();
    }

    public FdtBuilder Cells(string name, params uint[] cells) => Prop(name, CellBytes(cells));

    public FdtBuilder String(string name, params string[] strings)
    {
        var bytes = new List<byte>();
        foreach (string s in strings)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(s));
            bytes.Add(0);
        }
        return Prop(name, bytes.ToArray());
    }

    public static byte[] CellBytes(params uint[] cells)
    {
        byte[] bytes = new byte[cells.Length * 4];
        for (int i = 0; i < cells.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), cells[i]);
        return bytes;
    }

    /// <summary>The blob, header fields filled in as dtc would (version 17, last comp 16).</summary>
    public byte[] Build()
    {
        byte[] blob = new byte[TotalSize];
        Span<byte> b = blob;
        Put(b, FdtLayout.MagicOffset, FdtLayout.Magic);
        Put(b, FdtLayout.TotalSizeOffset, (uint)TotalSize);
        Put(b, FdtLayout.StructOffsetOffset, (uint)StructStart);
        Put(b, FdtLayout.StringsOffsetOffset, (uint)StringsStart);
        Put(b, FdtLayout.ReservationMapOffsetOffset, FdtLayout.HeaderSize);
        Put(b, FdtLayout.VersionOffset, 17);
        Put(b, FdtLayout.LastCompatibleVersionOffset, 16);
        Put(b, FdtLayout.StringsSizeOffset, (uint)StringsSize);
        Put(b, FdtLayout.StructSizeOffset, (uint)StructSize);
        int entry = FdtLayout.HeaderSize;
        foreach ((ulong address, ulong size) in _reservations)
        {
            BinaryPrimitives.WriteUInt64BigEndian(b.Slice(entry), address);
            BinaryPrimitives.WriteUInt64BigEndian(b.Slice(entry + 8), size);
            entry += 16;
        }
        _struct.CopyTo(blob, StructStart);
        _strings.CopyTo(blob, StringsStart);
        return blob;
    }

    public static void Put(Span<byte> blob, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(blob.Slice(offset), value);

    public static uint Get(ReadOnlySpan<byte> blob, int offset) => BinaryPrimitives.ReadUInt32BigEndian(blob.Slice(offset));

    /// <summary>Node name <paramref name="index"/> (0..4095) of two characters from the node-name
    /// set: the smallest nodes there are (12 bytes with FDT_BEGIN_NODE and FDT_END_NODE).</summary>
    public static string ShortNodeName(int index)
    {
        const string chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,_";
        if ((uint)index >= chars.Length * chars.Length)
            throw new ArgumentOutOfRangeException(nameof(index));
        return $"{chars[index / chars.Length]}{chars[index % chars.Length]}";
    }

    /// <summary>A small valid tree: root with cells 2/2, one memory node, FDT_END.</summary>
    public static FdtBuilder Minimal()
    {
        return new FdtBuilder()
            .Begin("")
            .Cells("#address-cells", 2).Cells("#size-cells", 2)
            .Begin("memory@40000000").String("device_type", "memory").Cells("reg", 0, 0x40000000, 0, 0x10000000).EndNode()
            .EndNode()
            .End();
    }
}
