using System;
using GuestStub.Boot;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Guest;

/// <summary>
/// <c>gueststub.linger-ms=N</c> (at most 10000): before powering off, give the CPU away to other
/// domains for N milliseconds with SCHEDOP_yield. A dom0 that powers off halts the whole machine,
/// so in a boot with dom0less domUs (./build.sh run --domu, the domU boot tests) dom0 lingers
/// until the domUs have printed their reports. Bounded by the generic timer: never waits forever.
/// Without Xen there is no one to yield to (and <c>hvc #0xEA1</c> would fault): ignored.
/// </summary>
internal static class Linger
{
    private const ulong MaxMilliseconds = 10_000;
    private const ulong SchedOpYield = 0;

    internal static void IfAsked<TSink>(ref TSink console, BootArguments args, bool underXen) where TSink : struct, ITextSink
    {
        if (!args.TryGetDecimal("gueststub.linger-ms"u8, ulong.MaxValue, out ulong ms, out _) || ms == 0)
            return;
        if (!underXen)
        {
            console.Write("GuestStub: gueststub.linger-ms ignored: no Xen to yield to\n"u8);
            return;
        }
        if (ms > MaxMilliseconds)
            ms = MaxMilliseconds;
        console.Write("GuestStub: lingering "u8);
        TextFormat.Decimal(ref console, ms);
        console.Write(" ms for other domains\n"u8);
        ulong frequency = Native.ReadCntfrq();
        ulong start = Native.ReadCntvct();
        ulong ticks = frequency / 1000 * ms;
        while (Native.ReadCntvct() - start < ticks)
            Native.XenHypercall(SchedOpYield, 0, 0, 0, 0, HypercallNumber.SchedOp);
    }
}
