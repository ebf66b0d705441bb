using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;

namespace System.Buffers.Binary;

/// <summary>
/// Endian-explicit reads and writes, as in .NET. Device trees are big-endian; Xen's structures
/// are little-endian. Out-of-range access fails fast, as .NET would throw.
/// </summary>
public static class BinaryPrimitives
{
    public static ushort ReadUInt16BigEndian(ReadOnlySpan<byte> source)
    {
        Require(source, 2);
        return (ushort)((source[0] << 8) | source[1]);
    }

    public static uint ReadUInt32BigEndian(ReadOnlySpan<byte> source)
    {
        Require(source, 4);
        return ((uint)source[0] << 24) | ((uint)source[1] << 16) | ((uint)source[2] << 8) | source[3];
    }

    public static ulong ReadUInt64BigEndian(ReadOnlySpan<byte> source) =>
        ((ulong)ReadUInt32BigEndian(source) << 32) | ReadUInt32BigEndian(source.Slice(4));

    public static ushort ReadUInt16LittleEndian(ReadOnlySpan<byte> source)
    {
        Require(source, 2);
        return (ushort)(source[0] | (source[1] << 8));
    }

    public static uint ReadUInt32LittleEndian(ReadOnlySpan<byte> source)
    {
        Require(source, 4);
        return source[0] | ((uint)source[1] << 8) | ((uint)source[2] << 16) | ((uint)source[3] << 24);
    }

    public static ulong ReadUInt64LittleEndian(ReadOnlySpan<byte> source) =>
        ReadUInt32LittleEndian(source) | ((ulong)ReadUInt32LittleEndian(source.Slice(4)) << 32);

    public static int ReadInt32BigEndian(ReadOnlySpan<byte> source) => (int)ReadUInt32BigEndian(source);

    public static void WriteUInt16BigEndian(Span<byte> destination, ushort value)
    {
        Require(destination, 2);
        destination[0] = (byte)(value >> 8);
        destination[1] = (byte)value;
    }

    public static void WriteUInt32BigEndian(Span<byte> destination, uint value)
    {
        Require(destination, 4);
        destination[0] = (byte)(value >> 24);
        destination[1] = (byte)(value >> 16);
        destination[2] = (byte)(value >> 8);
        destination[3] = (byte)value;
    }

    public static void WriteUInt64BigEndian(Span<byte> destination, ulong value)
    {
        WriteUInt32BigEndian(destination, (uint)(value >> 32));
        WriteUInt32BigEndian(destination.Slice(4), (uint)value);
    }

    public static void WriteUInt16LittleEndian(Span<byte> destination, ushort value)
    {
        Require(destination, 2);
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
    }

    public static void WriteUInt32LittleEndian(Span<byte> destination, uint value)
    {
        Require(destination, 4);
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
        destination[3] = (byte)(value >> 24);
    }

    public static void WriteUInt64LittleEndian(Span<byte> destination, ulong value)
    {
        WriteUInt32LittleEndian(destination, (uint)value);
        WriteUInt32LittleEndian(destination.Slice(4), (uint)(value >> 32));
    }

    public static uint ReverseEndianness(uint value) =>
        (value >> 24) | ((value >> 8) & 0xFF00) | ((value << 8) & 0xFF0000) | (value << 24);

    public static ushort ReverseEndianness(ushort value) => (ushort)((value >> 8) | (value << 8));

    public static ulong ReverseEndianness(ulong value) =>
        ((ulong)ReverseEndianness((uint)value) << 32) | ReverseEndianness((uint)(value >> 32));

    private static void Require(ReadOnlySpan<byte> span, int length)
    {
        if (span.Length < length)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
    }
}
