using System;
using System.Runtime.CompilerServices;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>
/// Boot-time self-tests chosen with <c>gueststub.selftest=NAME</c> in bootargs; the boot tests use
/// them to prove the start-up code: "unaligned" (an unaligned 8-byte load works: the MMU is on
/// and RAM is Normal memory), "abort" (a data abort is reported with ESR/ELR/FAR and the machine
/// powers off), "statics" (statics of reference type work), "throw" (a C# throw fails fast with
/// its message), "stack-overflow" (unbounded recursion hits the main stack's guard page and the
/// report says so), "exception-stack-guard" (the exception stack's guard page is unmapped, and a
/// fault there is named as that stack's overflow).
/// </summary>
internal static unsafe class SelfTests
{
    /// <summary>Never returns: each call needs a frame of its own (the addition follows the call).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Recurse(ulong depth) => Recurse(depth + 1) + depth;

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
        else if (name.SequenceEqual("abort"u8) || name.SequenceEqual("exception-stack-guard"u8))
        {
            bool abort = name.SequenceEqual("abort"u8);
            // A load that must fault: from an address head.S never maps, or from the exception
            // stack's guard page, which head.S leaves unmapped (that stack only runs out inside a
            // fatal report; this proves the page and that a fault there is named as its overflow).
            ulong address = abort ? UnmappedAddress : GuestStacks.Exception.Guard;
            c.Write("GuestStub: selftest "u8);
            c.Write(name);
            c.Write(": loading from "u8);
            TextFormat.Hex(ref c, address);
            c.Write("\n"u8);
            Native.ReadU64(address);
            c.Write("GuestStub: selftest "u8);
            c.Write(name);
            c.Write(": the load did not fault\n"u8);
        }
        else if (name.SequenceEqual("statics"u8))
        {
            // One static of reference type set by a static constructor at run time, one that ilc
            // pre-initialises: both live in GC-static bases that the runtime set up at start-up.
            c.Write("GuestStub: selftest statics: runtime "u8);
            TextFormat.Decimal(ref c, StaticsProbe.RuntimeInitialized.Value);
            c.Write(", preinitialized "u8);
            TextFormat.Decimal(ref c, (ulong)StaticsProbe.Preinitialized.Length);
            c.Write(StaticsProbe.RuntimeInitialized.Value == 42 && StaticsProbe.Preinitialized.Length == 6 ? " ok\n"u8 : " WRONG\n"u8);
        }
        else if (name.SequenceEqual("stack-overflow"u8))
        {
            c.Write("GuestStub: selftest stack-overflow: recursing until the main stack runs out\n"u8);
            ulong sum = Recurse(0);
            c.Write("GuestStub: selftest stack-overflow: the recursion returned "u8);
            TextFormat.Decimal(ref c, sum);
            c.Write("\n"u8);
        }
        else if (name.SequenceEqual("throw"u8))
        {
            throw new InvalidOperationException("selftest: a C# throw ends in fail-fast");
        }
        else
        {
            c.Write("GuestStub: unknown selftest '"u8);
            c.Write(name);
            c.Write("' (known: unaligned, abort, statics, throw, stack-overflow, exception-stack-guard)\n"u8);
        }
    }
}

/// <summary>Statics of reference type, for the "statics" self-test.</summary>
internal static class StaticsProbe
{
    internal sealed class Box
    {
        internal readonly ulong Value;
        internal Box(ulong value) => Value = value;
    }

    /// <summary>Depends on a register read, so ilc cannot pre-compute it: a static constructor
    /// runs on first access and stores a heap object into the GC-static base.</summary>
    internal static readonly Box RuntimeInitialized = new Box(Native.ReadCurrentEl() + 41);

    /// <summary>A frozen string ilc places in the image, referenced from the GC-static base.</summary>
    internal static readonly string Preinitialized = "frozen";
}
