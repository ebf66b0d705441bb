using System;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>
/// The fatal-exception report's backtrace, most recent call first: the faulting pc (ELR), the link
/// register at the exception (the caller, when the faulting routine keeps no frame record, as the
/// assembly leaves in native/ do), then the AAPCS64 frame-record chain from x29: each record is
/// {previous x29, return address}. The walk trusts nothing it reads: every record must lie on the
/// stack the fault happened on, 8-byte aligned, each above the one before, and it stops after
/// <see cref="MaxFrames"/> records. A frame pointer of 0 is the end: head.S's primary_switched
/// sets x29 = 0 before the C# entry. The lines are for <c>gueststub symbolize</c>: "pc" addresses
/// are exact, "lr" addresses are return addresses.
/// </summary>
internal static unsafe class Backtrace
{
    internal const int MaxFrames = 32;

    /// <summary>AAPCS64 frame records are two u64. SP stays 16-byte aligned, but a record may
    /// lie anywhere in the frame at an 8-byte boundary (ilc puts some at 8 mod 16), so only that
    /// is required, as Linux's arm64 unwinder does (unwind_next_frame: fp &amp; 0x7).</summary>
    private const ulong RecordSize = 16;
    private const ulong RecordAlignment = 8;

    internal static void Print<TSink>(ref TSink c, in ExceptionFrame frame, in StackRegion stack, ReadOnlySpan<byte> stackName) where TSink : struct, ITextSink
    {
        c.Write("GuestStub:   backtrace (most recent call first):\nGuestStub:     #0 pc "u8);
        TextFormat.Hex(ref c, frame.Elr);
        int index = 1;
        ulong fp = frame.FramePointer;
        bool fpUsable = IsRecord(fp, stack, frame.Sp);
        // x30 is the caller only while the faulting routine has not saved it in a record of its
        // own; when it has, the first record's return address says the same and x30 is skipped.
        if (frame.LinkRegister != 0 && !(fpUsable && ReturnAddress(fp) == frame.LinkRegister))
        {
            Frame(ref c, index++, frame.LinkRegister, 0);
        }
        ulong previous = 0;
        for (int depth = 0; ; depth++)
        {
            if (fp == 0)
            {
                c.Write("\nGuestStub:   end of backtrace: frame pointer 0 (the entry)\n"u8);
                return;
            }
            if (depth == MaxFrames)
            {
                c.Write("\nGuestStub:   end of backtrace: "u8);
                TextFormat.Decimal(ref c, MaxFrames);
                c.Write(" frame records shown, more follow\n"u8);
                return;
            }
            if (!IsRecord(fp, stack, frame.Sp) || fp <= previous)
            {
                c.Write("\nGuestStub:   end of backtrace: frame pointer "u8);
                TextFormat.Hex(ref c, fp);
                c.Write(" is not a frame record on the "u8);
                c.Write(stackName);
                c.Write(" (unaligned, outside it, or not above the previous record)\n"u8);
                return;
            }
            ulong returnAddress = ReturnAddress(fp);
            if (returnAddress != 0)
                Frame(ref c, index++, returnAddress, fp);
            previous = fp;
            fp = *(ulong*)fp;
        }
    }

    private static void Frame<TSink>(ref TSink c, int index, ulong returnAddress, ulong record) where TSink : struct, ITextSink
    {
        c.Write("\nGuestStub:     #"u8);
        TextFormat.Decimal(ref c, (ulong)index);
        c.Write(" lr "u8);
        TextFormat.Hex(ref c, returnAddress);
        if (record != 0)
        {
            c.Write(" (frame "u8);
            TextFormat.Hex(ref c, record);
            c.Write(")"u8);
        }
    }

    /// <summary>A frame record the walk may read: 8-byte aligned, wholly inside the stack, at or above SP.</summary>
    private static bool IsRecord(ulong fp, in StackRegion stack, ulong sp) =>
        fp % RecordAlignment == 0 && fp >= stack.Bottom && fp >= sp && fp <= stack.Top - RecordSize;

    private static ulong ReturnAddress(ulong fp) => *(ulong*)(fp + 8);
}
