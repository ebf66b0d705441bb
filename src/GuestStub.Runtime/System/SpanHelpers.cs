using System.Runtime.CompilerServices;

namespace System;

/// <summary>
/// Block copy, fill and zero: the targets of the compiler's MemCpy, MemSet and MemZero helpers
/// (ilc's JitHelper looks them up here by name). Byte loops, so they cannot call themselves.
/// </summary>
internal static unsafe class SpanHelpers
{
    internal static void Memmove(ref byte destination, ref byte source, nuint length)
    {
        byte* d = (byte*)Unsafe.AsPointer(ref destination);
        byte* s = (byte*)Unsafe.AsPointer(ref source);
        if (d <= s || d >= s + length)
        {
            for (nuint i = 0; i < length; i++)
                d[i] = s[i];
        }
        else
        {
            // The destination starts inside the source: copy backwards.
            for (nuint i = length; i > 0; i--)
                d[i - 1] = s[i - 1];
        }
    }

    internal static void ClearWithoutReferences(ref byte destination, nuint length)
    {
        byte* d = (byte*)Unsafe.AsPointer(ref destination);
        for (nuint i = 0; i < length; i++)
            d[i] = 0;
    }

    internal static void Fill(ref byte destination, nuint length, byte value)
    {
        byte* d = (byte*)Unsafe.AsPointer(ref destination);
        for (nuint i = 0; i < length; i++)
            d[i] = value;
    }
}
