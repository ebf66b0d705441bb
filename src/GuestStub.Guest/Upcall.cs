using System.Runtime;
using GuestStub.Text;
using GuestStub.Xen.Events;

namespace GuestStub.Guest;

/// <summary>
/// The IRQ handler (native/vectors.S irq_entry) and the event-channel table it dispatches into.
/// Acknowledge at the GIC, run the upcall (Core's <see cref="EventChannels.HandleUpcall"/>: the
/// 2-level scan and the ports' handlers) when it is the event-channel PPI, end the interrupt. A
/// spurious or unexpected interrupt is reported and counted, never fatal.
/// </summary>
internal static class Upcall
{
    /// <summary>The stub's event channels: a static of value type, in .bss.</summary>
    internal static EventChannels Events;

    internal static ulong Spurious;
    internal static ulong Unexpected;

    /// <summary>void gueststub_irq(void)</summary>
    [RuntimeExport("gueststub_irq")]
    private static void Irq()
    {
        uint intId = Gic.Acknowledge();
        if (intId >= 1020)
        {
            Spurious++;
            return;
        }
        if (intId == Events.UpcallIntId)
        {
            var memory = new GuestMemory();
            var clock = new CounterTicks();
            Events.HandleUpcall(ref memory, ref clock);
        }
        else
        {
            Unexpected++;
            var console = new GuestConsole();
            console.Write("GuestStub: warning: unexpected interrupt "u8);
            TextFormat.Decimal(ref console, intId);
            console.Write(" (not the event-channel upcall): ignored\n"u8);
        }
        Gic.EndOfInterrupt(intId);
    }
}
