using System;
using System.Threading;
using GuestStub.Platform;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>Which console the guest writes to, chosen at boot from what the DTB says.</summary>
internal enum ConsoleKind
{
    /// <summary>Nothing usable yet.</summary>
    None,
    /// <summary>Xen's console_io hypercall (CONSOLEIO_write): dom0 and dom0less domUs.</summary>
    Xen,
    /// <summary>An Arm PL011 UART at a physical address from /chosen stdout-path (or the tree's
    /// first UART, or QEMU virt's when the tree cannot be trusted).</summary>
    Pl011,
    /// <summary>Xen's vpl011 in a dom0less domU: the tree's "arm,sbsa-uart" (GUEST_PL011_BASE,
    /// no stdout-path), driven as a PL011.</summary>
    Vpl011,
}

/// <summary>
/// The console in use, as a text sink. Kept in statics of value type (no GC statics needed) so
/// the exception and fail-fast paths can reach it.
/// </summary>
internal struct GuestConsole : ITextSink
{
    internal static ConsoleKind Kind;
    internal static ulong Pl011Base;

    /// <summary>QEMU virt's first UART, used only when the DTB cannot be trusted (documented).</summary>
    internal const ulong FallbackPl011Base = 0x0900_0000;

    /// <summary>
    /// Xen's console when the DTB has a hypervisor node (dom0 and dom0less domUs get their console
    /// from Xen), except in a domU whose tree has Xen's vpl011 (an "arm,sbsa-uart" the tree's
    /// console facts find, arch/arm/dom0less-build.c make_vpl011_uart_node): a release Xen
    /// prints a domU's vpl011 output at any log level (arch/arm/vpl011.c, "DOMn: " lines) but
    /// drops its HVC output without guest_loglvl=all, so that is where a domU's report can be
    /// read, as Linux's dom0less domUs use ttyAMA0. Dom0 keeps the HVC console (XENFEAT_dom0,
    /// asked of Xen here). Without a hypervisor node, the PL011 named by stdout-path, else the
    /// tree's first UART, else the fallback.
    /// </summary>
    internal static void Choose(in BootFacts facts)
    {
        bool uart = facts.Console.Found && facts.Console.HasBaseAddress && facts.Console.IsPl011Compatible;
        if (facts.Hypervisor.Found)
        {
            if (uart && facts.Console.Compatible.SequenceEqual("arm,sbsa-uart"u8) && !IsDom0())
            {
                Kind = ConsoleKind.Vpl011;
                Pl011Base = facts.Console.BaseAddress;
                return;
            }
            Kind = ConsoleKind.Xen;
            return;
        }
        if (uart)
        {
            Kind = ConsoleKind.Pl011;
            Pl011Base = facts.Console.BaseAddress;
            return;
        }
        UseFallbackUart();
    }

    /// <summary>XENFEAT_dom0: this domain is the hardware domain (a failing query: not known to be).</summary>
    private static bool IsDom0()
    {
        var hypercalls = new GuestHypercalls();
        return !GuestStub.Xen.XenVersion.GetFeatures(ref hypercalls, out uint features).IsFailure &&
            GuestStub.Xen.XenVersion.Has(features, GuestStub.Xen.XenVersion.FeatureDom0);
    }

    /// <summary>"  console: ..." for the banner: which console this is, and why.</summary>
    internal static void Describe<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        sink.Write("  console: "u8);
        switch (Kind)
        {
            case ConsoleKind.Xen:
                sink.Write("Xen's console_io (HVC)\n"u8);
                return;
            case ConsoleKind.Vpl011:
                sink.Write("Xen's vpl011 (arm,sbsa-uart at "u8);
                break;
            default:
                sink.Write("PL011 (at "u8);
                break;
        }
        TextFormat.Hex(ref sink, Pl011Base);
        sink.Write(")\n"u8);
    }

    /// <summary>QEMU virt's UART at <see cref="FallbackPl011Base"/>: for a DTB that cannot be
    /// trusted to name one, or one that names none.</summary>
    internal static void UseFallbackUart()
    {
        Kind = ConsoleKind.Pl011;
        Pl011Base = FallbackPl011Base;
    }

    public void Write(ReadOnlySpan<byte> text)
    {
        switch (Kind)
        {
            case ConsoleKind.Xen:
                XenConsole.Write(text);
                break;
            case ConsoleKind.Pl011:
            case ConsoleKind.Vpl011:
                Pl011.Write(Pl011Base, text);
                break;
        }
    }
}

/// <summary>Xen's console: HYPERVISOR_console_io(CONSOLEIO_write, count, buffer), Core's
/// <see cref="GuestStub.Xen.XenConsole{THv}"/> over the real hypercall, a line at a time.
/// Xen prints a dom0's text as it comes and a domU's only whole lines, so when dom0 and a
/// dom0less domU share the console (./build.sh run --domu) a dom0 line written in pieces could
/// be split by a domU line; buffered up to the newline, each line is one hypercall. Text is
/// flushed at '\n', when the buffer fills and by <see cref="Flush"/> (PowerOff.Now).</summary>
internal static unsafe class XenConsole
{
    private const int Capacity = 256;

    private struct LineBuffer
    {
        public fixed byte Bytes[Capacity];
    }

    private static LineBuffer s_line;
    private static int s_length;

    /// <summary>The buffer (a static of value type: in .bss, never moved).</summary>
    private static byte* Line => (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref s_line);

    internal static void Write(ReadOnlySpan<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            Line[s_length++] = text[i];
            if (text[i] == (byte)'\n' || s_length == Capacity)
                Flush();
        }
    }

    internal static void Flush()
    {
        if (s_length == 0)
            return;
        new GuestStub.Xen.XenConsole<GuestHypercalls>(default).Write(new ReadOnlySpan<byte>(Line, s_length));
        s_length = 0;
    }
}

/// <summary>Arm PL011 UART (DDI 0183): poll the transmit FIFO, write the data register.</summary>
internal static unsafe class Pl011
{
    private const ulong DataRegister = 0x00;
    private const ulong FlagRegister = 0x18;
    private const uint FlagTransmitFifoFull = 1 << 5;
    /// <summary>Bounded wait: a wedged UART drops characters rather than hanging the stub.</summary>
    private const int MaxPolls = 100_000;

    internal static void Write(ulong baseAddress, ReadOnlySpan<byte> text)
    {
        ref uint data = ref *(uint*)(baseAddress + DataRegister);
        ref uint flags = ref *(uint*)(baseAddress + FlagRegister);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'\n')
                Put(ref data, ref flags, (byte)'\r');
            Put(ref data, ref flags, text[i]);
        }
    }

    private static void Put(ref uint data, ref uint flags, byte c)
    {
        for (int polls = 0; polls < MaxPolls && (Volatile.Read(ref flags) & FlagTransmitFifoFull) != 0; polls++)
        {
        }
        Volatile.Write(ref data, c);
    }
}
