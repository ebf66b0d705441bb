using System.Runtime;
using System.Runtime.CompilerServices;
using GuestStub.Xen;

namespace GuestStub.GuestTests;

/// <summary>
/// The mapping benchmark's hypercall transport: the product's <c>hvc #0xEA1</c> with the virtual
/// counter read right before and right after it (native/map_bench.S), summed in
/// <see cref="InsideTicks"/>. Under <c>-icount shift=0</c> a tick is 16 instructions, so a
/// benchmark that reads the counter around a whole pass knows how much of it was Xen's (inside
/// <c>hvc</c>, with the two reads) and how much the stub's own (the rest): <see cref="Split"/>.
/// Each call's share is exact to a tick (16 instructions); summed over a pass, the rounding of
/// calls of one length can add up, which <see cref="NullHypercalls"/> cross-checks.
/// </summary>
internal unsafe struct TimedHypercalls : IXenHypercalls
{
    private static ulong s_insideTicks;
    private static ulong s_calls;

    /// <summary>Counter ticks spent inside hvc since boot.</summary>
    internal static ulong InsideTicks => s_insideTicks;

    /// <summary>Hypercalls made through this transport since boot.</summary>
    internal static ulong Calls => s_calls;

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_tests_pass_begins")]
    private static extern void PassBegins();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_tests_pass_ends")]
    private static extern void PassEnds();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_tests_timed_hypercall")]
    private static extern long TimedHypercall(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong op, ulong* insideTicks);

    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        s_calls++;
        return TimedHypercall(a0, a1, a2, a3, a4, op, (ulong*)Unsafe.AsPointer(ref s_insideTicks));
    }

    /// <summary>A pass's ticks, and how many of them were inside hvc: start before the pass,
    /// <see cref="Stop"/> after it. Marked for a profiler outside the counter reads (native/map_bench.S).</summary>
    internal struct Split
    {
        private ulong _start;
        private ulong _insideAtStart;
        private ulong _callsAtStart;
        public ulong TotalTicks;
        public ulong InsideTicks;
        public ulong Calls;

        /// <summary>Takes any interrupt pending first (an event-channel upcall left from binding a
        /// port, say): Xen examines an undelivered virtual interrupt again on every return to the
        /// guest, about 140 instructions per hypercall on Xen 4.17 with GICv3, which would be
        /// counted in every call of the pass.</summary>
        public static Split Start()
        {
            GuestStub.Guest.Native.IrqWindow();
            PassBegins();
            Split s = default;
            s._insideAtStart = s_insideTicks;
            s._callsAtStart = s_calls;
            s._start = GuestStub.Guest.Native.ReadCntvct();
            return s;
        }

        public void Stop()
        {
            TotalTicks = GuestStub.Guest.Native.ReadCntvct() - _start;
            InsideTicks = s_insideTicks - _insideAtStart;
            Calls = s_calls - _callsAtStart;
            PassEnds();
        }

        /// <summary>Ticks outside hvc: the stub's own work (and the transport's counter reads).</summary>
        public readonly ulong OutsideTicks => TotalTicks > InsideTicks ? TotalTicks - InsideTicks : 0;
    }
}
