using System.Runtime.InteropServices;

namespace GuestStub.Guest;

/// <summary>
/// What native/vectors.S saves for the fatal-exception report (its struct exception_frame): the
/// vector slot, the exception syndrome registers, and the faulting context's SP, x29 (frame
/// pointer) and x30 (link register) as they were before the handler switched stacks.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ExceptionFrame
{
    internal ulong Slot;
    internal ulong Esr;
    internal ulong Elr;
    internal ulong Far;
    internal ulong Spsr;
    internal ulong Sp;
    internal ulong FramePointer;
    internal ulong LinkRegister;

    /// <summary>ESR_ELx.EC, bits 31:26 (Arm ARM D17.2.37).</summary>
    internal readonly ulong ExceptionClass => (Esr >> 26) & 0x3F;

    /// <summary>EC 0x24/0x25, data aborts: FAR holds the faulting data address.</summary>
    internal readonly bool IsDataAbort => ExceptionClass is 0x24 or 0x25;
}
