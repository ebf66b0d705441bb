using System;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>
/// Boot-time self-tests chosen with <c>gueststub.selftest=NAME</c> in bootargs; the boot tests use
/// them to prove the start-up code: "unaligned" (an unaligned 8-byte load works: the MMU is on
/// and RAM is Normal memory), "abort" (a data abort is reported with ESR/ELR/FAR and the machine
/// powers off), "throw" (a C# throw fails fast with its message).
/// </summary>
internal static unsafe class SelfTests
{
    /// <summary>An address in the TTBR1 half that head.S never maps (L1 index 1).</summary>
    private const ulong UnmappedAddress = 0xFFFF_FF80_4000_0000;

    internal static void Run<TSink>(ref TSink c, ReadOnlySpan<byte> name) where TSink : struct, ITextSink
    {
        if (name.SequenceEqual("unaligned"u8))
        {
            Span<byte> buffer = stackalloc byte[16];
            for (int i = 0; i < buffer.Length; i++)
                buffer[i] = (byte)(0x10 + i);
            fixed (byte* p = buffer)
            {
                // An ldr of 8 bytes at an odd address: faults if memory were Device (MMU off).
                ulong value = Native.ReadU64((ulong)(p + 1));
                c.Write("GuestStub: selftest unaligned: read "u8);
                TextFormat.Hex(ref c, value);
                c.Write(value == 0x1817161514131211 ? " ok\n"u8 : " WRONG VALUE\n"u8);
            }
        }
        else if (name.SequenceEqual("abort"u8))
        {
            c.Write("GuestStub: selftest abort: loading from "u8);
            TextFormat.Hex(ref c, UnmappedAddress);
            c.Write("\n"u8);
            Native.ReadU64(UnmappedAddress);
            c.Write("GuestStub: selftest abort: the load did not fault\n"u8);
        }
        else if (name.SequenceEqual("throw"u8))
        {
            throw new InvalidOperationException("selftest: a C# throw ends in fail-fast");
        }
        else
        {
            c.Write("GuestStub: unknown selftest '"u8);
            c.Write(name);
            c.Write("' (known: unaligned, abort, throw)\n"u8);
        }
    }
}
