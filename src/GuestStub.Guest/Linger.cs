using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Guest;

/// <summary>
/// <c>gueststub.linger-ms=N</c> (at most <see cref="BootOptions.MaxLingerMs"/>): before powering
/// off, give the CPU away to other domains for N milliseconds with SCHEDOP_yield. A dom0 that
/// powers off halts the whole machine, so in a boot with dom0less domUs dom0 can linger until
/// the domUs have printed their reports. Bounded by the generic timer: never waits forever.
/// Without Xen there is no one to yield to (and <c>hvc #0xEA1</c> would fault): ignored.
/// </summary>
internal static class Linger
{
    internal static void IfAsked<TSink>(ref TSink console, ulong ms, bool underXen) where TSink : struct, ITextSink
    {
        if (ms == 0)
            return;
        if (!underXen)
        {
            console.Write("GuestStub: gueststub.linger-ms ignored: no Xen to yield to\n"u8);
            return;
        }
        console.Write("GuestStub: lingering "u8);
        TextFormat.Decimal(ref console, ms);
        console.Write(" ms for other domains\n"u8);
        var hypercalls = new GuestHypercalls();
        ulong frequency = Native.ReadCntfrq();
        ulong start = Native.ReadCntvct();
        ulong ticks = frequency / 1000 * ms;
        while (Native.ReadCntvct() - start < ticks)
            SchedOp.Yield(ref hypercalls);
    }
}
