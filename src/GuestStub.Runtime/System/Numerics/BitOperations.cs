namespace System.Numerics;

/// <summary>Bit twiddling, as in .NET (portable loops; the guest is not hot on these).</summary>
public static class BitOperations
{
    public static int TrailingZeroCount(ulong value)
    {
        if (value == 0)
            return 64;
        int n = 0;
        while ((value & 1) == 0)
        {
            value >>= 1;
            n++;
        }
        return n;
    }

    public static int TrailingZeroCount(uint value) => value == 0 ? 32 : TrailingZeroCount((ulong)value);

    public static int LeadingZeroCount(ulong value)
    {
        if (value == 0)
            return 64;
        int n = 0;
        while ((value & 0x8000000000000000UL) == 0)
        {
            value <<= 1;
            n++;
        }
        return n;
    }

    public static int LeadingZeroCount(uint value) => value == 0 ? 32 : LeadingZeroCount((ulong)value) - 32;

    public static int PopCount(ulong value)
    {
        int n = 0;
        while (value != 0)
        {
            value &= value - 1;
            n++;
        }
        return n;
    }

    public static int PopCount(uint value) => PopCount((ulong)value);

    public static int Log2(ulong value) => 63 - LeadingZeroCount(value | 1);

    public static int Log2(uint value) => 31 - LeadingZeroCount(value | 1);

    public static bool IsPow2(ulong value) => value != 0 && (value & (value - 1)) == 0;

    public static bool IsPow2(uint value) => value != 0 && (value & (value - 1)) == 0;

    public static bool IsPow2(int value) => value > 0 && (value & (value - 1)) == 0;
}
