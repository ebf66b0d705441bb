using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen.Setup;

namespace GuestStub.Xen.Events;

/// <summary>What setting up the upcall and the loopback proof gave.</summary>
public readonly struct EventChannelResult
{
    public readonly bool Ran;
    /// <summary>The GIC interrupt id of the upcall (the hypervisor node's PPI: 16 + n).</summary>
    public readonly uint IntId;
    /// <summary>The upcall is attached and the PPI enabled.</summary>
    public readonly bool Attached;
    /// <summary>The hypervisor node names no interrupt, or one that cannot be resolved
    /// (<see cref="UnresolvedInterrupt"/>): the stage had nothing to take the upcall on.</summary>
    public bool Skipped => !Attached && !Failure.IsFailure;
    /// <summary>Why the node's interrupt could not be resolved, and where (OK: it was, or there is none).</summary>
    public readonly DtbStatus UnresolvedInterrupt;
    /// <summary>The two ends of the loopback channel: the port that sent, the one that received.</summary>
    public readonly uint SendPort;
    public readonly uint ReceivePort;
    /// <summary>Counter ticks from EVTCHNOP_send to the handler running in the upcall.</summary>
    public readonly ulong LatencyTicks;
    /// <summary>Setting up the upcall or the loopback proof.</summary>
    public readonly XenFailure Failure;

    public EventChannelResult(uint intId, bool attached, uint sendPort, uint receivePort, ulong latencyTicks, in XenFailure failure)
    {
        Ran = true;
        IntId = intId;
        Attached = attached;
        SendPort = sendPort;
        ReceivePort = receivePort;
        LatencyTicks = latencyTicks;
        Failure = failure;
        UnresolvedInterrupt = DtbStatus.Ok;
    }

    /// <summary>Skipped: the node's interrupt cannot be resolved.</summary>
    public EventChannelResult(DtbStatus unresolvedInterrupt)
    {
        this = default;
        Ran = true;
        UnresolvedInterrupt = unresolvedInterrupt;
    }
}

/// <summary>
/// The event-channel stage: the upcall attached to vCPU 0's vcpu_info in shared_info and its PPI
/// enabled, then the proof with no peer (Xen lets a domain bind to its own unbound port):
/// alloc_unbound(DOMID_SELF), bind_interdomain to it, EVTCHNOP_send, and the upcall must run
/// the receiving port's handler within <see cref="LoopbackBoundMs"/>. <see cref="Close"/>
/// closes every port and disables the PPI, so a later boot starts clean.
/// </summary>
public static unsafe class EventChannelStage
{
    /// <summary>How long the loopback event may take (counter time): a bound for an event that
    /// never comes, not a speed (how fast it came is <c>evtchn.upcall.latency_ticks</c>). Under
    /// QEMU's TCG without -icount the counter follows the host's clock, and a domU sharing one
    /// vCPU with dom0 and other domUs on a loaded host waited more than 100 ms for Xen to run it
    /// again: 1 s.</summary>
    public const ulong LoopbackBoundMs = 1000;

    public static EventChannelResult Open<TPlatform>(ref TPlatform platform, in BootFacts facts, in XenSetupResult xen)
        where TPlatform : struct, IXenPlatform
    {
        // A hypervisor node without an interrupt, or with one that cannot be resolved: nothing to
        // take the upcall on, nothing to prove (BootFacts keeps why).
        if (facts.Hypervisor.EventChannelInterruptStatus == EventChannelInterruptStatus.Unresolved)
            return new EventChannelResult(facts.Hypervisor.EventChannelInterruptError);
        if (!facts.Hypervisor.HasEventChannelInterrupt)
            return new EventChannelResult(0, false, 0, 0, 0, XenFailure.None);
        byte* sharedInfo = platform.Page(xen.SharedInfo.Gfn);
        if (!facts.Hypervisor.EventChannelInterrupt.TryGetGicIntId(out uint intId) || intId < 16 || intId >= 32 ||
            sharedInfo == null || !xen.SharedInfo.Mapped)
            return new EventChannelResult(intId, false, 0, 0, 0, XenFailure.Stub(XenFailureCause.NoUpcall));
        platform.Events.Attach(sharedInfo, intId);
        if (!platform.Enable(intId))
        {
            platform.Events.Detach();
            return new EventChannelResult(intId, false, 0, 0, 0, XenFailure.Stub(XenFailureCause.NoUpcall));
        }

        XenFailure f = Loopback(ref platform, out uint sendPort, out uint receivePort, out ulong latency);
        return new EventChannelResult(intId, true, sendPort, receivePort, latency, f);
    }

    /// <summary>Closes every port still open, disables the PPI and detaches the upcall.</summary>
    public static XenFailure Close<TPlatform>(ref TPlatform platform, in EventChannelResult opened) where TPlatform : struct, IXenPlatform
    {
        if (!opened.Attached)
            return XenFailure.None;
        XenFailure f = platform.Events.CloseAll(ref platform, ref platform);
        // An upcall raised while interrupts were masked (a bind's event, say) is taken here, while
        // the handler still knows its PPI: Xen's GICv2 model delivers a PPI that was pending
        // when it was disabled at the next unmasking, which would otherwise be an unknown one.
        platform.Idle();
        platform.Disable(opened.IntId);
        platform.Events.Detach();
        return f;
    }

    private static XenFailure Loopback<TPlatform>(ref TPlatform platform, out uint sendPort, out uint receivePort, out ulong latency)
        where TPlatform : struct, IXenPlatform
    {
        sendPort = 0;
        latency = 0;
        ref EventChannels events = ref platform.Events;
        XenFailure f = events.AllocateUnbound(ref platform, ref platform, DomainId.Self, out receivePort);
        if (f.IsFailure)
            return f;
        f = events.BindInterdomain(ref platform, ref platform, DomainId.Self, receivePort, out sendPort);
        if (!f.IsFailure)
        {
            ulong handled = 0;
            events.SetHandler(receivePort, &CountEvent, (ulong)&handled);
            Deadline deadline = Deadline.After(ref platform, LoopbackBoundMs);
            f = events.Send(ref platform, sendPort);
            if (!f.IsFailure)
            {
                while (events.Arrivals(receivePort) == 0 && !deadline.Expired(ref platform))
                    platform.Idle();
                if (events.Arrivals(receivePort) == 0 || handled == 0)
                    f = XenFailure.Timeout(LoopbackBoundMs).WithPort(receivePort);
                else
                    latency = events.LastArrivalTicks(receivePort) - deadline.Start;
            }
            events.SetHandler(receivePort, null, 0);
            f = f.Or(events.Close(ref platform, ref platform, sendPort));
        }
        return f.Or(events.Close(ref platform, ref platform, receivePort));
    }

    /// <summary>The loopback port's handler: counts into the word its context points at.</summary>
    private static void CountEvent(uint port, ulong context) => (*(ulong*)context)++;
}
