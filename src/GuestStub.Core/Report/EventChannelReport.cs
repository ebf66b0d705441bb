using GuestStub.DeviceTree;
using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Xen;
using GuestStub.Xen.Events;

namespace GuestStub.Report;

/// <summary>
/// What the event-channel stage tells the user: a line for people, then the report lines
/// evtchn.ppi (the upcall's GIC interrupt id), evtchn.upcall (ok, or the failure naming the call
/// and errno) and evtchn.upcall.latency_ticks (counter ticks from EVTCHNOP_send to the handler;
/// instructions / 16 under QEMU's <c>-icount shift=0</c>).
/// </summary>
public static class EventChannelReport
{
    /// <summary>The stage's lines, then evtchn.upcall: the upcall attached on the node's PPI and
    /// a loopback event handled within its bound. No interrupt to take it on: SKIP. No GIC or a
    /// PPI out of range: ERROR. The event never arrived: FAILURE (Xen did not deliver it).</summary>
    public static void Opened<TSink>(ref TSink sink, ref CheckVerdicts checks, in EventChannelResult events) where TSink : struct, ITextSink
    {
        Opened(ref sink, events);
        if (events.Skipped && !events.UnresolvedInterrupt.IsOk)
        {
            if (checks.Begin(ref sink, Check.EvtchnUpcall, Verdict.Skip))
            {
                sink.Write(" "u8);
                sink.Write(ReasonText.Phrase(Reason.InterruptUnresolved));
                sink.Write(": "u8);
                Unresolved(ref sink, events.UnresolvedInterrupt);
                sink.Write("\n"u8);
            }
        }
        else if (events.Skipped)
        {
            checks.Write(ref sink, Check.EvtchnUpcall, Verdict.Skip, Reason.NoInterrupt);
        }
        else if (events.Failure.Cause == XenFailureCause.Timeout)
        {
            checks.Write(ref sink, Check.EvtchnUpcall, Verdict.Failure, Reason.LoopbackNeverCame, events.Failure);
        }
        else
        {
            checks.Outcome(ref sink, Check.EvtchnUpcall, events.Failure);
        }
    }

    public static void Opened<TSink>(ref TSink sink, in EventChannelResult events) where TSink : struct, ITextSink
    {
        if (events.Skipped && !events.UnresolvedInterrupt.IsOk)
        {
            sink.Write("GuestStub: event channels: the hypervisor node's interrupt cannot be resolved ("u8);
            Unresolved(ref sink, events.UnresolvedInterrupt);
            sink.Write("): no upcall\n"u8);
            ReportLine.Begin(ref sink, "evtchn.upcall"u8);
            sink.Write("skipped (interrupt unresolved: "u8);
            Unresolved(ref sink, events.UnresolvedInterrupt);
            sink.Write(")\n"u8);
            return;
        }
        if (events.Skipped)
        {
            sink.Write("GuestStub: event channels: the hypervisor node names no interrupt: no upcall\n"u8);
            ReportLine.Write(ref sink, "evtchn.upcall"u8, "skipped (no interrupt)"u8);
            return;
        }
        sink.Write("GuestStub: event channels: upcall on PPI "u8);
        TextFormat.Decimal(ref sink, events.IntId);
        if (events.SendPort != 0)
        {
            sink.Write(", loopback port "u8);
            TextFormat.Decimal(ref sink, events.SendPort);
            sink.Write(" -> "u8);
            TextFormat.Decimal(ref sink, events.ReceivePort);
        }
        sink.Write(": "u8);
        if (events.Failure.IsFailure)
        {
            events.Failure.Write(ref sink);
        }
        else
        {
            sink.Write("handled after "u8);
            TextFormat.Decimal(ref sink, events.LatencyTicks);
            sink.Write(" counter ticks"u8);
        }
        sink.Write("\n"u8);

        ReportLine.Decimal(ref sink, "evtchn.ppi"u8, events.IntId);
        ReportLine.Outcome(ref sink, "evtchn.upcall"u8, events.Failure);
        if (!events.Failure.IsFailure)
            ReportLine.Decimal(ref sink, "evtchn.upcall.latency_ticks"u8, events.LatencyTicks);
    }

    /// <summary>The line, then teardown.evtchn: every port closed (static ones released) and the PPI disabled.</summary>
    public static void Closed<TSink>(ref TSink sink, ref CheckVerdicts checks, in XenFailure failure) where TSink : struct, ITextSink
    {
        Closed(ref sink, failure);
        checks.Outcome(ref sink, Check.TeardownEvtchn, failure);
    }

    public static void Closed<TSink>(ref TSink sink, in XenFailure failure) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: event channels: "u8);
        if (failure.IsFailure)
            failure.Write(ref sink);
        else
            sink.Write("every port closed, upcall disabled"u8);
        sink.Write("\n"u8);
    }

    /// <summary>"CAUSE at byte offset 0xOFFSET", the reader's one wording of why the interrupt is
    /// unresolved (DtbErrorText, as for a refused DTB).</summary>
    private static void Unresolved<TSink>(ref TSink sink, DtbStatus status) where TSink : struct, ITextSink =>
        DtbErrorText.Write(ref sink, status);
}
