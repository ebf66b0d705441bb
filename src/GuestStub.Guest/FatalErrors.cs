using System;
using System.Runtime;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>
/// The two ways the stub dies: an unexpected CPU exception (from native/vectors.S) and a
/// fail-fast (a throw, a failed bounds check, or the stub's own decision). Each prints one
/// clear report and powers off.
/// </summary>
internal static unsafe class FatalErrors
{
    /// <summary>void gueststub_exception(u64 slot, u64 esr, u64 elr, u64 far, u64 spsr); never returns.</summary>
    [RuntimeExport("gueststub_exception")]
    private static void Exception(ulong slot, ulong esr, ulong elr, ulong far, ulong spsr)
    {
        EnsureConsole();
        var console = new GuestConsole();
        ulong ec = (esr >> 26) & 0x3F;
        console.Write("GuestStub: fatal exception: "u8);
        console.Write(SlotName(slot));
        console.Write(", "u8);
        console.Write(ExceptionClassName(ec));
        console.Write(" (EC "u8);
        TextFormat.Hex(ref console, ec);
        console.Write(")\nGuestStub:   ESR "u8);
        TextFormat.Hex(ref console, esr);
        console.Write(" ELR "u8);
        TextFormat.Hex(ref console, elr);
        console.Write(" FAR "u8);
        TextFormat.Hex(ref console, far);
        console.Write(" SPSR "u8);
        TextFormat.Hex(ref console, spsr);
        console.Write("\nGuestStub: powering off\n"u8);
        PowerOff.Now();
    }

    /// <summary>The runtime's platform hook behind Environment.FailFast; never returns.</summary>
    [RuntimeExport("GuestStubFailFast")]
    private static void FailFast(char* message, int length)
    {
        EnsureConsole();
        var console = new GuestConsole();
        console.Write("GuestStub: fail-fast: "u8);
        Span<byte> ascii = stackalloc byte[1];
        for (int i = 0; i < length; i++)
        {
            char c = message[i];
            ascii[0] = c >= ' ' && c < 0x7F ? (byte)c : (byte)'?';
            console.Write(ascii);
        }
        console.Write("\nGuestStub: powering off\n"u8);
        PowerOff.Now();
    }

    /// <summary>Stops the stub with a message of its own: one line, then power off.</summary>
    internal static void Stop(ReadOnlySpan<byte> message)
    {
        EnsureConsole();
        var console = new GuestConsole();
        console.Write("GuestStub: error: "u8);
        console.Write(message);
        console.Write("\nGuestStub: powering off\n"u8);
        PowerOff.Now();
    }

    private static void EnsureConsole()
    {
        if (GuestConsole.Kind == ConsoleKind.None)
        {
            GuestConsole.Kind = ConsoleKind.Pl011;
            GuestConsole.Pl011Base = GuestConsole.FallbackPl011Base;
        }
    }

    private static ReadOnlySpan<byte> SlotName(ulong slot) => (slot / 4) switch
    {
        0 => (slot % 4) switch { 0 => "synchronous, current EL, SP_EL0"u8, 1 => "IRQ, current EL, SP_EL0"u8, 2 => "FIQ, current EL, SP_EL0"u8, _ => "SError, current EL, SP_EL0"u8 },
        1 => (slot % 4) switch { 0 => "synchronous, current EL"u8, 1 => "IRQ, current EL"u8, 2 => "FIQ, current EL"u8, _ => "SError, current EL"u8 },
        2 => (slot % 4) switch { 0 => "synchronous, lower EL (AArch64)"u8, 1 => "IRQ, lower EL (AArch64)"u8, 2 => "FIQ, lower EL (AArch64)"u8, _ => "SError, lower EL (AArch64)"u8 },
        _ => "from lower EL (AArch32)"u8,
    };

    /// <summary>ESR_ELx.EC names (Arm ARM D17.2.37), for the classes a stub can meet.</summary>
    private static ReadOnlySpan<byte> ExceptionClassName(ulong ec) => ec switch
    {
        0x00 => "unknown reason"u8,
        0x01 => "WFI/WFE trapped"u8,
        0x07 => "FP/SIMD access trapped"u8,
        0x0E => "illegal execution state"u8,
        0x15 => "SVC"u8,
        0x16 => "HVC"u8,
        0x17 => "SMC"u8,
        0x18 => "system register access trapped"u8,
        0x20 => "instruction abort from a lower EL"u8,
        0x21 => "instruction abort"u8,
        0x22 => "PC alignment fault"u8,
        0x24 => "data abort from a lower EL"u8,
        0x25 => "data abort"u8,
        0x26 => "SP alignment fault"u8,
        0x2C => "floating-point exception"u8,
        0x2F => "SError"u8,
        0x3C => "BRK instruction"u8,
        _ => "other exception class"u8,
    };
}
