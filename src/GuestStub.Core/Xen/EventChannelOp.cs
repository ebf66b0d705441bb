using GuestStub.Xen.Abi;

namespace GuestStub.Xen;

/// <summary>
/// event_channel_op (xen/include/public/event_channel.h): the hypercalls that create, connect,
/// signal and close event channels. Every call acts for the calling domain (DOMID_SELF). The
/// binding API over them, which remembers what is bound to what, is
/// <see cref="Events.EventChannels"/>.
/// </summary>
public static unsafe class EventChannelOp
{
    /// <summary>EVTCHNOP_alloc_unbound: a new port of this domain that <paramref name="remoteDom"/>
    /// may bind to (DOMID_SELF: this domain itself; Xen stores the caller's real id).</summary>
    public static XenFailure AllocUnbound<THc>(ref THc hc, ushort remoteDom, out uint port) where THc : struct, IXenHypercalls
    {
        EvtchnAllocUnbound args = default;
        args.Dom = DomainId.Self;
        args.RemoteDom = remoteDom;
        long result = hc.Hypercall(HypercallNumber.EventChannelOp, EventChannelCommand.AllocUnbound, (ulong)&args, 0, 0, 0);
        port = result == 0 ? args.Port : 0;
        return result == 0 ? XenFailure.None : XenFailure.FromResult(XenCall.EvtchnAllocUnbound, result).WithDom(remoteDom);
    }

    /// <summary>EVTCHNOP_bind_interdomain: a new local port connected to
    /// <paramref name="remotePort"/> of <paramref name="remoteDom"/>, which must be unbound and
    /// allocated for this domain (Xen allows a domain to bind to its own port).</summary>
    public static XenFailure BindInterdomain<THc>(ref THc hc, ushort remoteDom, uint remotePort, out uint localPort)
        where THc : struct, IXenHypercalls
    {
        EvtchnBindInterdomain args = default;
        args.RemoteDom = remoteDom;
        args.RemotePort = remotePort;
        long result = hc.Hypercall(HypercallNumber.EventChannelOp, EventChannelCommand.BindInterdomain, (ulong)&args, 0, 0, 0);
        localPort = result == 0 ? args.LocalPort : 0;
        return result == 0 ? XenFailure.None
            : XenFailure.FromResult(XenCall.EvtchnBindInterdomain, result).WithDom(remoteDom).WithPort(remotePort);
    }

    /// <summary>EVTCHNOP_send: notifies the other end of <paramref name="port"/>.</summary>
    public static XenFailure Send<THc>(ref THc hc, uint port) where THc : struct, IXenHypercalls =>
        OnPort(ref hc, EventChannelCommand.Send, XenCall.EvtchnSend, port);

    /// <summary>EVTCHNOP_close: closes <paramref name="port"/> (an interdomain peer's end
    /// becomes unbound again).</summary>
    public static XenFailure Close<THc>(ref THc hc, uint port) where THc : struct, IXenHypercalls =>
        OnPort(ref hc, EventChannelCommand.Close, XenCall.EvtchnClose, port);

    /// <summary>EVTCHNOP_unmask: clears the port's mask bit and, when it is pending, raises the
    /// upcall again (an event that arrived while masked is otherwise lost as an edge).</summary>
    public static XenFailure Unmask<THc>(ref THc hc, uint port) where THc : struct, IXenHypercalls =>
        OnPort(ref hc, EventChannelCommand.Unmask, XenCall.EvtchnUnmask, port);

    /// <summary>EVTCHNOP_status of this domain's <paramref name="port"/>.</summary>
    public static XenFailure Status<THc>(ref THc hc, uint port, out EvtchnStatus status) where THc : struct, IXenHypercalls
    {
        EvtchnStatus args = default;
        args.Dom = DomainId.Self;
        args.Port = port;
        long result = hc.Hypercall(HypercallNumber.EventChannelOp, EventChannelCommand.Status, (ulong)&args, 0, 0, 0);
        status = args;
        return result == 0 ? XenFailure.None : XenFailure.FromResult(XenCall.EvtchnStatus, result).WithPort(port);
    }

    /// <summary>
    /// The calling domain's own id, without xenstore (Xen common/event_channel.c: an unbound
    /// port allocated with remote_dom DOMID_SELF stores the caller's real id as the remote, and
    /// EVTCHNOP_status returns it in u.unbound.dom). The port is closed again, also on failure.
    /// </summary>
    public static XenFailure QueryOwnDomid<THc>(ref THc hc, out ushort domid) where THc : struct, IXenHypercalls
    {
        domid = 0;
        XenFailure f = AllocUnbound(ref hc, DomainId.Self, out uint port);
        if (f.IsFailure)
            return f;
        f = Status(ref hc, port, out EvtchnStatus status);
        if (!f.IsFailure && status.Status != EvtchnStatus.Unbound)
            f = XenFailure.Stub(XenFailureCause.UnexpectedPortState, (int)status.Status).WithPort(port);
        if (!f.IsFailure)
            domid = status.RemoteDom;
        // A port that will not close is tried once more (nothing else refers to it); the first
        // refusal is still the answer, so it is reported.
        XenFailure close = Close(ref hc, port);
        if (close.IsFailure)
            Close(ref hc, port);
        return f.Or(close);
    }

    private static XenFailure OnPort<THc>(ref THc hc, ulong command, XenCall call, uint port) where THc : struct, IXenHypercalls
    {
        EvtchnPort args = default;
        args.Port = port;
        long result = hc.Hypercall(HypercallNumber.EventChannelOp, command, (ulong)&args, 0, 0, 0);
        return result == 0 ? XenFailure.None : XenFailure.FromResult(call, result).WithPort(port);
    }
}
