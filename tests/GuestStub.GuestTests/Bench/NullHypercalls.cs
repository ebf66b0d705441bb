using System.Runtime;
using System.Runtime.CompilerServices;
using GuestStub.Xen;

namespace GuestStub.GuestTests;

/// <summary>
/// A transport that makes no hypercall: the product's transport (GuestHypercalls, native
/// gueststub_xen_hypercall) with <c>mov x0, #0</c> where the <c>hvc</c> is
/// (native/map_bench.S gueststub_tests_no_hypercall), called out of line as that one is, so the
/// compiler keeps the arguments and the call exactly as with Xen. Every call answers 0 and
/// writes nothing: an errs array or a status the caller cleared stays cleared, so every page
/// counts as done. The benchmark runs a pass's very code through it to count the stub's own
/// instructions around Xen, one instruction per call apart; the split that
/// <see cref="TimedHypercalls"/> measures at each hvc also counts its own counter reads.
/// </summary>
internal struct NullHypercalls : IXenHypercalls
{
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_tests_no_hypercall")]
    private static extern long NoHypercall(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong op);

    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) => NoHypercall(a0, a1, a2, a3, a4, op);
}
