using GuestStub.Guest;
using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Xen;
using GuestStub.Xen.Events;

namespace GuestStub.GuestTests;

/// <summary>
/// The event-channel round trip dom0 -> domU -> dom0: EVTCHNOP_send on the channel to the peer's
/// ping port, whose handler sends straight back from its upcall (<see cref="MapPeer"/>), until
/// dom0's own upcall has counted the answer. Dom0 waits as the stub always does
/// (<see cref="IInterruptController.Idle"/>: take a pending interrupt, then SCHEDOP_yield, so the
/// peer, blocked in WFI until the event woke it, gets the CPU). Measured from before the send to
/// after dom0's handler ran, in counter ticks (instructions under <c>-icount shift=0</c>: x16),
/// everything on the one CPU included: both domains, Xen's event delivery, its vGIC and two
/// context switches. <see cref="WarmUp"/> round trips first, then <see cref="Count"/> timed.
/// </summary>
internal static class EventRoundTrip
{
    public const int WarmUp = 16;
    public const int Count = 1000;

    /// <summary>The bound on one round trip (counter time).</summary>
    public const ulong BoundMs = 1000;

    public static void Run(ref GuestConsole console, ref GuestHypercalls hc, ref Gic irq, ref CounterTicks clock, ref EventChannels events,
        uint port, ushort domid)
    {
        ulong total = 0, fewest = ulong.MaxValue, most = 0;
        for (int i = 0; i < WarmUp + Count; i++)
        {
            ulong before = events.Arrivals(port);
            ulong t0 = Native.ReadCntvct();
            XenFailure f = events.Send(ref hc, port);
            Deadline deadline = Deadline.After(ref clock, BoundMs);
            while (!f.IsFailure && events.Arrivals(port) == before && !deadline.Expired(ref clock))
                irq.Idle();
            ulong ticks = Native.ReadCntvct() - t0;
            if (f.IsFailure || events.Arrivals(port) == before)
            {
                BenchText.Fail(ref console, "event-channel round trip"u8, f.IsFailure ? f : XenFailure.Timeout(BoundMs).WithPort(port).WithDom(domid));
                return;
            }
            if (i < WarmUp)
                continue;
            total += ticks;
            if (ticks < fewest)
                fewest = ticks;
            if (ticks > most)
                most = ticks;
        }
        console.Write("guest-bench: event-channel round trip dom0 -> domain "u8);
        TextFormat.Decimal(ref console, domid);
        console.Write(" -> dom0 on GICv"u8);
        TextFormat.Decimal(ref console, Gic.Version == GuestStub.Platform.GicVersion.V2 ? 2UL : 3UL);
        console.Write(", "u8);
        TextFormat.Decimal(ref console, Count);
        console.Write(" of them: "u8);
        BenchText.InstructionsValue(ref console, total, Count);
        console.Write(" instructions each, "u8);
        BenchText.Thousandths(ref console, total, Count);
        console.Write(" counter ticks (fewest "u8);
        TextFormat.Decimal(ref console, fewest);
        console.Write(", most "u8);
        TextFormat.Decimal(ref console, most);
        console.Write(")\n"u8);
        BenchText.Count(ref console, "bench.evtchn.round_trips"u8, Count);
        BenchText.Instructions(ref console, "bench.evtchn.round_trip.instructions"u8, total, Count);
        BenchText.Ratio(ref console, "bench.evtchn.round_trip.ticks"u8, total, Count);
        BenchText.Count(ref console, "bench.evtchn.round_trip.fewest_ticks"u8, fewest);
        BenchText.Count(ref console, "bench.evtchn.round_trip.most_ticks"u8, most);
    }
}
