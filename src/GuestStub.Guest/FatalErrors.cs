using System;
using System.Runtime;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>
/// The two ways the stub dies: an unexpected CPU exception (from native/vectors.S; the report
/// names a stack overflow and ends with a backtrace, see <see cref="Backtrace"/>) and a
/// fail-fast (a throw, a failed bounds check, or the stub's own decision). Each prints one clear
/// report and powers off.
/// </summary>
internal static unsafe class FatalErrors
{
    /// <summary>
    /// void gueststub_exception(const struct exception_frame *frame); never returns. Runs on the
    /// exception stack (native/vectors.S): the class and registers, a stack overflow named as
    /// such, which stack SP was on, then the backtrace.
    /// </summary>
    [RuntimeExport("gueststub_exception")]
    private static void Exception(ExceptionFrame* frame)
    {
        EnsureConsole();
        var console = new GuestConsole();
        Headline(ref console, "GuestStub: fatal exception: "u8, *frame);
        StackRegion main = GuestStacks.Main;
        StackRegion exception = GuestStacks.Exception;
        if (frame->IsDataAbort)
        {
            if (main.GuardContains(frame->Far))
                Overflow(ref console, "main stack"u8, main, frame->Far);
            else if (exception.GuardContains(frame->Far))
                Overflow(ref console, "exception stack"u8, exception, frame->Far);
        }
        Registers(ref console, *frame);
        console.Write("GuestStub:   SP "u8);
        TextFormat.Hex(ref console, frame->Sp);
        if (main.Contains(frame->Sp) || main.Contains(frame->FramePointer))
        {
            console.Write(" on the main stack "u8);
            Range(ref console, main);
            console.Write("\n"u8);
            Backtrace.Print(ref console, *frame, main, "main stack"u8);
        }
        else
        {
            console.Write(": on no stack of the guest's, so no backtrace\n"u8);
        }
        console.Write("GuestStub: powering off\n"u8);
        PowerOff.Now();
    }

    /// <summary>
    /// void gueststub_nested_exception(const struct exception_frame *frame); never returns. An
    /// exception while the report above ran (on a fresh exception stack): a short report, no
    /// backtrace, so that as little as possible can fault again.
    /// </summary>
    [RuntimeExport("gueststub_nested_exception")]
    private static void NestedException(ExceptionFrame* frame)
    {
        EnsureConsole();
        var console = new GuestConsole();
        Headline(ref console, "\nGuestStub: fatal exception while reporting one: "u8, *frame);
        StackRegion exception = GuestStacks.Exception;
        if (frame->IsDataAbort && exception.GuardContains(frame->Far))
            Overflow(ref console, "exception stack"u8, exception, frame->Far);
        Registers(ref console, *frame);
        console.Write("GuestStub: powering off\n"u8);
        PowerOff.Now();
    }

    private static void Headline(ref GuestConsole console, ReadOnlySpan<byte> prefix, in ExceptionFrame frame)
    {
        ulong ec = frame.ExceptionClass;
        console.Write(prefix);
        console.Write(SlotName(frame.Slot));
        console.Write(", "u8);
        console.Write(ExceptionClassName(ec));
        console.Write(" (EC "u8);
        TextFormat.Hex(ref console, ec);
        console.Write(")\n"u8);
    }

    private static void Registers(ref GuestConsole console, in ExceptionFrame frame)
    {
        console.Write("GuestStub:   ESR "u8);
        TextFormat.Hex(ref console, frame.Esr);
        console.Write(" ELR "u8);
        TextFormat.Hex(ref console, frame.Elr);
        console.Write(" FAR "u8);
        TextFormat.Hex(ref console, frame.Far);
        console.Write(" SPSR "u8);
        TextFormat.Hex(ref console, frame.Spsr);
        console.Write("\n"u8);
    }

    /// <summary>A data abort on a stack's guard page: the stack grew past its bottom.</summary>
    private static void Overflow(ref GuestConsole console, ReadOnlySpan<byte> name, in StackRegion stack, ulong far)
    {
        console.Write("GuestStub:   stack overflow: the "u8);
        console.Write(name);
        console.Write(" "u8);
        Range(ref console, stack);
        console.Write(" ran into its guard page at "u8);
        TextFormat.Hex(ref console, far);
        console.Write("\n"u8);
    }

    private static void Range(ref GuestConsole console, in StackRegion stack)
    {
        TextFormat.Hex(ref console, stack.Bottom);
        console.Write("-"u8);
        TextFormat.Hex(ref console, stack.Top);
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

    // Vector slots 0-11 in VBAR order (Arm ARM D1.10.2); 12-15 (from AArch32) share the last name.
    private static ReadOnlySpan<byte> SlotNames =>
        "synchronous, current EL, SP_EL0\0"u8 + "IRQ, current EL, SP_EL0\0"u8 +
        "FIQ, current EL, SP_EL0\0"u8 + "SError, current EL, SP_EL0\0"u8 +
        "synchronous, current EL\0"u8 + "IRQ, current EL\0"u8 +
        "FIQ, current EL\0"u8 + "SError, current EL\0"u8 +
        "synchronous, lower EL (AArch64)\0"u8 + "IRQ, lower EL (AArch64)\0"u8 +
        "FIQ, lower EL (AArch64)\0"u8 + "SError, lower EL (AArch64)\0"u8 +
        "from lower EL (AArch32)\0"u8;

    private static ReadOnlySpan<byte> SlotName(ulong slot) => NameTable.Get(SlotNames, (long)Math.Min(slot, 12UL));

    /// <summary>ESR_ELx.EC names (Arm ARM D17.2.37), for the classes a stub can meet.</summary>
    private static ReadOnlySpan<byte> ExceptionClasses => new byte[] { 0x00, 0x01, 0x07, 0x0E, 0x15, 0x16, 0x17, 0x18, 0x20, 0x21, 0x22, 0x24, 0x25, 0x26, 0x2C, 0x2F, 0x3C };

    // Names in the order of ExceptionClasses.
    private static ReadOnlySpan<byte> ExceptionClassNames =>
        "unknown reason\0"u8 +
        "WFI/WFE trapped\0"u8 +
        "FP/SIMD access trapped\0"u8 +
        "illegal execution state\0"u8 +
        "SVC\0"u8 +
        "HVC\0"u8 +
        "SMC\0"u8 +
        "system register access trapped\0"u8 +
        "instruction abort from a lower EL\0"u8 +
        "instruction abort\0"u8 +
        "PC alignment fault\0"u8 +
        "data abort from a lower EL\0"u8 +
        "data abort\0"u8 +
        "SP alignment fault\0"u8 +
        "floating-point exception\0"u8 +
        "SError\0"u8 +
        "BRK instruction\0"u8;

    private static ReadOnlySpan<byte> ExceptionClassName(ulong ec)
    {
        ReadOnlySpan<byte> name = NameTable.Lookup(ExceptionClasses, ExceptionClassNames, (long)ec);
        return name.IsEmpty ? "other exception class"u8 : name;
    }
}
