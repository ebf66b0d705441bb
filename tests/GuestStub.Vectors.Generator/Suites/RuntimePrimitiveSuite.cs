using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Numerics;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// tests/vectors/runtime-primitives.vec: BitOperations, BinaryPrimitives, IndexOf and
/// SequenceEqual on values at the edges, with the results of .NET's own BCL (hardware
/// intrinsics where it has them) on the machine that wrote the file. The guest runs its own
/// corelib's portable versions against them.
/// </summary>
public static class RuntimePrimitiveSuite
{
    public const string FileName = "runtime-primitives.vec";

    private static readonly ulong[] Values =
    {
        0, 1, 2, 3, 0x80, 0xff, 0x100, 0x8000_0000, 0xffff_ffff, 0x1_0000_0000, 0x1_0000_0001,
        0x0000_1000_0000_0000, 0x8000_0000_0000_0000, 0x8000_0000_0000_0001, 0x7fff_ffff_ffff_ffff,
        0xffff_ffff_ffff_fffe, ulong.MaxValue, 0x0123_4567_89ab_cdef, 0x26805, 0x4020_0000,
    };

    public static byte[] Build()
    {
        var file = new VectorFileWriter();
        void Add(string function, ulong argument, ulong result, byte[]? blob = null, byte[]? text = null)
        {
            VectorFileWriter.Record r = file.Add(VectorSuite.RuntimePrimitives, $"{function} {Hex.Of(argument)}" + (blob is null ? "" : $" of {Convert.ToHexString(blob).ToLowerInvariant()}") + (text is null ? "" : $" and {Convert.ToHexString(text).ToLowerInvariant()}"))
                .Text(VectorTag.Function, function).U64(VectorTag.Argument, argument);
            if (blob is not null)
                r.Bytes(VectorTag.Blob, blob);
            if (text is not null)
                r.Bytes(VectorTag.Text, text);
            r.U64(VectorTag.Result, result).End();
        }

        foreach (ulong v in Values)
        {
            uint v32 = (uint)v;
            Add("bits.tzcnt64", v, (ulong)BitOperations.TrailingZeroCount(v));
            Add("bits.lzcnt64", v, (ulong)BitOperations.LeadingZeroCount(v));
            Add("bits.popcnt64", v, (ulong)BitOperations.PopCount(v));
            Add("bits.log2-64", v, (ulong)BitOperations.Log2(v));
            Add("bits.ispow2-64", v, BitOperations.IsPow2(v) ? 1UL : 0UL);
            if (v <= uint.MaxValue)
            {
                Add("bits.tzcnt32", v, (ulong)BitOperations.TrailingZeroCount(v32));
                Add("bits.lzcnt32", v, (ulong)BitOperations.LeadingZeroCount(v32));
                Add("bits.popcnt32", v, (ulong)BitOperations.PopCount(v32));
                Add("bits.log2-32", v, (ulong)BitOperations.Log2(v32));
            }
        }

        byte[] bytes = { 0xd0, 0x0d, 0xfe, 0xed, 0x00, 0x00, 0x1c, 0x0f, 0x80, 0x01, 0xff, 0x7f };
        for (ulong offset = 0; offset <= 4; offset += 2)
        {
            ReadOnlySpan<byte> at = bytes.AsSpan((int)offset);
            Add("binary.u16be", offset, BinaryPrimitives.ReadUInt16BigEndian(at), bytes);
            Add("binary.u16le", offset, BinaryPrimitives.ReadUInt16LittleEndian(at), bytes);
            Add("binary.u32be", offset, BinaryPrimitives.ReadUInt32BigEndian(at), bytes);
            Add("binary.u32le", offset, BinaryPrimitives.ReadUInt32LittleEndian(at), bytes);
            Add("binary.u64be", offset, BinaryPrimitives.ReadUInt64BigEndian(at), bytes);
            Add("binary.u64le", offset, BinaryPrimitives.ReadUInt64LittleEndian(at), bytes);
        }

        byte[] name = "pl011@9000000\0serial\0"u8.ToArray();
        foreach (byte b in new byte[] { 0, (byte)'@', (byte)'p', (byte)'l', 0xff })
            Add("span.indexof", b, (ulong)(long)name.AsSpan().IndexOf(b), name);
        Add("span.indexof", 0, unchecked((ulong)-1L), Array.Empty<byte>());
        foreach ((byte[] a, byte[] b) in new List<(byte[], byte[])>
        {
            ("reg"u8.ToArray(), "reg"u8.ToArray()), ("reg"u8.ToArray(), "ref"u8.ToArray()), ("reg"u8.ToArray(), "re"u8.ToArray()),
            (Array.Empty<byte>(), Array.Empty<byte>()), ("#address-cells"u8.ToArray(), "#address-cellz"u8.ToArray()),
        })
            Add("span.sequence-equal", 0, a.AsSpan().SequenceEqual(b) ? 1UL : 0UL, a, b);
        return file.Build();
    }
}
