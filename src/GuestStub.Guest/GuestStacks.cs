using System.Runtime.InteropServices;

namespace GuestStub.Guest;

/// <summary>One stack: [Bottom, Top), with its unmapped guard page [Guard, Bottom) below it.</summary>
internal readonly struct StackRegion
{
    internal readonly ulong Guard;
    internal readonly ulong Bottom;
    internal readonly ulong Top;

    internal StackRegion(ulong guard, ulong bottom, ulong top)
    {
        Guard = guard;
        Bottom = bottom;
        Top = top;
    }

    internal bool Contains(ulong address) => address >= Bottom && address < Top;

    internal bool GuardContains(ulong address) => address >= Guard && address < Bottom;
}

/// <summary>
/// The guest's two stacks as linker/guest.ld lays them out (read from its symbols through
/// gueststub_stack_bounds): the main stack C# runs on, and the exception stack the fatal-exception
/// report runs on. Each sits above a guard page head.S leaves unmapped.
/// </summary>
internal static unsafe class GuestStacks
{
    /// <summary>gueststub_stack_bounds' struct stack_bounds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Bounds
    {
        internal ulong MainGuard, MainBottom, MainTop;
        internal ulong ExceptionGuard, ExceptionBottom, ExceptionTop;
    }

    internal static StackRegion Main
    {
        get
        {
            Bounds b;
            Native.StackBounds(&b);
            return new StackRegion(b.MainGuard, b.MainBottom, b.MainTop);
        }
    }

    internal static StackRegion Exception
    {
        get
        {
            Bounds b;
            Native.StackBounds(&b);
            return new StackRegion(b.ExceptionGuard, b.ExceptionBottom, b.ExceptionTop);
        }
    }
}
