using System;
using System.Buffers.Binary;
using System.Numerics;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// <see cref="VectorSuite.RuntimePrimitives"/>: the primitives Core relies on, whose guest
/// versions are the project's own (src/GuestStub.Runtime: portable loops where .NET has
/// intrinsics), against the results .NET's BCL gave when the vector was written. One function
/// per record, named by <c>function</c>; the result (a number) must equal <c>result</c>.
/// <list type="table">
/// <item><c>bits.tzcnt64</c>, <c>bits.tzcnt32</c>, <c>bits.lzcnt64</c>, <c>bits.lzcnt32</c>,
/// <c>bits.popcnt64</c>, <c>bits.popcnt32</c>, <c>bits.log2-64</c>, <c>bits.log2-32</c>,
/// <c>bits.ispow2-64</c> (1 or 0): BitOperations on argument 0 (its low 32 bits for the 32-bit ones).</item>
/// <item><c>binary.u16be</c>, <c>binary.u32be</c>, <c>binary.u64be</c>, <c>binary.u16le</c>,
/// <c>binary.u32le</c>, <c>binary.u64le</c>: BinaryPrimitives on <c>blob</c> from offset argument 0.</item>
/// <item><c>span.indexof</c>: IndexOf(argument 0) in <c>blob</c> (-1 as 2^64 - 1).</item>
/// <item><c>span.sequence-equal</c>: SequenceEqual of <c>blob</c> and <c>text</c> (1 or 0).</item>
/// </list>
/// </summary>
public static class RuntimePrimitiveVectors
{
    public static bool Check<TSink>(in VectorRecord record, ref TSink detail) where TSink : struct, ITextSink
    {
        if (!record.TryGetBytes(VectorTag.Function, out ReadOnlySpan<byte> f))
            return FieldText.Missing(ref detail, VectorTag.Function);
        if (!record.TryGetU64(VectorTag.Result, out ulong expected))
            return FieldText.Missing(ref detail, VectorTag.Result);
        record.TryGetU64(VectorTag.Argument, 0, out ulong a);
        record.TryGetBytes(VectorTag.Blob, out ReadOnlySpan<byte> blob);
        uint a32 = (uint)a;

        ulong result;
        if (f.SequenceEqual("bits.tzcnt64"u8))
            result = (ulong)BitOperations.TrailingZeroCount(a);
        else if (f.SequenceEqual("bits.tzcnt32"u8))
            result = (ulong)BitOperations.TrailingZeroCount(a32);
        else if (f.SequenceEqual("bits.lzcnt64"u8))
            result = (ulong)BitOperations.LeadingZeroCount(a);
        else if (f.SequenceEqual("bits.lzcnt32"u8))
            result = (ulong)BitOperations.LeadingZeroCount(a32);
        else if (f.SequenceEqual("bits.popcnt64"u8))
            result = (ulong)BitOperations.PopCount(a);
        else if (f.SequenceEqual("bits.popcnt32"u8))
            result = (ulong)BitOperations.PopCount(a32);
        else if (f.SequenceEqual("bits.log2-64"u8))
            result = (ulong)BitOperations.Log2(a);
        else if (f.SequenceEqual("bits.log2-32"u8))
            result = (ulong)BitOperations.Log2(a32);
        else if (f.SequenceEqual("bits.ispow2-64"u8))
            result = BitOperations.IsPow2(a) ? 1UL : 0UL;
        else if (f.SequenceEqual("span.indexof"u8))
            result = (ulong)(long)blob.IndexOf((byte)a);
        else if (f.SequenceEqual("span.sequence-equal"u8))
        {
            record.TryGetBytes(VectorTag.Text, out ReadOnlySpan<byte> other);
            result = blob.SequenceEqual(other) ? 1UL : 0UL;
        }
        else if (!TryBinary(f, blob, a, out result, ref detail))
            return false;

        if (result == expected)
            return true;
        detail.Write("expected "u8);
        TextFormat.Hex(ref detail, expected);
        detail.Write(", got "u8);
        TextFormat.Hex(ref detail, result);
        return false;
    }

    private static bool TryBinary<TSink>(ReadOnlySpan<byte> f, ReadOnlySpan<byte> blob, ulong offset, out ulong result, ref TSink detail)
        where TSink : struct, ITextSink
    {
        result = 0;
        int width = f.SequenceEqual("binary.u16be"u8) || f.SequenceEqual("binary.u16le"u8) ? 2
            : f.SequenceEqual("binary.u32be"u8) || f.SequenceEqual("binary.u32le"u8) ? 4
            : f.SequenceEqual("binary.u64be"u8) || f.SequenceEqual("binary.u64le"u8) ? 8 : 0;
        if (width == 0)
        {
            detail.Write("unknown function "u8);
            detail.Write(f);
            return false;
        }
        if (offset > (ulong)blob.Length || (ulong)blob.Length - offset < (ulong)width)
            return FieldText.OutOfRange(ref detail, VectorTag.Argument, offset);
        ReadOnlySpan<byte> bytes = blob.Slice((int)offset, width);
        bool big = f[f.Length - 2] == (byte)'b';
        result = width == 2 ? (big ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes))
            : width == 4 ? (big ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes))
            : (big ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        return true;
    }
}
