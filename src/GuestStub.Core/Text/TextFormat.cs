using System;
using GuestStub.Memory;

namespace GuestStub.Text;

/// <summary>
/// Number and range formatting without allocation, for the guest's console and reports. The
/// conventions follow Xen's logs: addresses in lower-case hex with 0x, ranges half-open
/// "0xSTART-0xEND" (END exclusive).
/// </summary>
public static class TextFormat
{
    /// <summary>"0x" and the hex digits of <paramref name="value"/>, no leading zeros.</summary>
    public static void Hex<TSink>(ref TSink sink, ulong value) where TSink : struct, ITextSink
    {
        Span<byte> buffer = stackalloc byte[18];
        int length = FormatHex(buffer, value);
        sink.Write(buffer.Slice(0, length));
    }

    /// <summary>The decimal digits of <paramref name="value"/>.</summary>
    public static void Decimal<TSink>(ref TSink sink, ulong value) where TSink : struct, ITextSink
    {
        Span<byte> buffer = stackalloc byte[20];
        int length = FormatDecimal(buffer, value);
        sink.Write(buffer.Slice(0, length));
    }

    /// <summary>A signed decimal, for errno values.</summary>
    public static void SignedDecimal<TSink>(ref TSink sink, long value) where TSink : struct, ITextSink
    {
        if (value < 0)
        {
            sink.Write("-"u8);
            Decimal(ref sink, (ulong)(-(value + 1)) + 1);
        }
        else
        {
            Decimal(ref sink, (ulong)value);
        }
    }

    /// <summary>"0xSTART-0xEND", END exclusive, as Xen logs ranges.</summary>
    public static void Range<TSink>(ref TSink sink, PhysicalRange range) where TSink : struct, ITextSink
    {
        Hex(ref sink, range.Start);
        sink.Write("-"u8);
        Hex(ref sink, range.End);
    }

    /// <summary>An (address, size) pair as read: "0xSTART-0xEND" as <see cref="Range"/>, or
    /// "0xSTART+0xSIZE" when the end passes 2^64 and has no half-open form.</summary>
    public static void AddressSize<TSink>(ref TSink sink, ulong start, ulong sizeBytes) where TSink : struct, ITextSink
    {
        if (PhysicalRange.TryCreate(start, sizeBytes, out PhysicalRange range))
        {
            Range(ref sink, range);
            return;
        }
        Hex(ref sink, start);
        sink.Write("+"u8);
        Hex(ref sink, sizeBytes);
    }

    /// <summary>A size in the largest binary unit that divides it ("128 MiB", "4 KiB", "3 bytes").</summary>
    public static void Size<TSink>(ref TSink sink, ulong bytes) where TSink : struct, ITextSink
    {
        int shift = 40;
        while (shift != 0 && (bytes == 0 || (bytes & ((1UL << shift) - 1)) != 0))
            shift -= 10;
        Decimal(ref sink, bytes >> shift);
        sink.Write(NameTable.Get(SizeUnits, shift / 10));
    }

    // Indexed by shift / 10.
    private static ReadOnlySpan<byte> SizeUnits => " bytes\0"u8 + " KiB\0"u8 + " MiB\0"u8 + " GiB\0"u8 + " TiB\0"u8;

    /// <summary>Writes "0x..." into <paramref name="buffer"/> (at least 18 bytes); returns the length.</summary>
    public static int FormatHex(Span<byte> buffer, ulong value)
    {
        buffer[0] = (byte)'0';
        buffer[1] = (byte)'x';
        int digits = 1;
        for (ulong v = value >> 4; v != 0; v >>= 4)
            digits++;
        for (int i = digits - 1; i >= 0; i--)
        {
            int nibble = (int)(value & 0xF);
            buffer[2 + i] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
            value >>= 4;
        }
        return 2 + digits;
    }

    /// <summary>Writes the decimal digits into <paramref name="buffer"/> (at least 20 bytes); returns the length.</summary>
    public static int FormatDecimal(Span<byte> buffer, ulong value)
    {
        int digits = 1;
        for (ulong v = value / 10; v != 0; v /= 10)
            digits++;
        for (int i = digits - 1; i >= 0; i--)
        {
            buffer[i] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
        return digits;
    }
}
