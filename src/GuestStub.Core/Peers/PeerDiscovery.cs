using GuestStub.Xen;
using GuestStub.Xen.Abi;
using GuestStub.Xen.Events;

namespace GuestStub.Peers;

/// <summary>
/// Finding the other side without xenstore. Static event channels (xen,evtchn-v1 nodes in the
/// host DT, Xen 4.17 alloc_static_evtchn) are bound before any domain runs: each side scans its
/// ports with EVTCHNOP_status for interdomain ones, whose remote end names the peer. Without
/// them, dom0 probes the domains (<see cref="DomainControl"/>), and a frontend allocates an
/// unbound port for dom0 and writes it in its shared page.
/// </summary>
public static class PeerDiscovery
{
    /// <summary>Ports scanned for static event channels (the binding recommends low ones).</summary>
    public const uint MaxStaticPort = 64;

    /// <summary>Interdomain ports bound to another domain than <paramref name="ownDomid"/> and not
    /// opened by the stub itself, added as peers found by static event channel; with
    /// <paramref name="onlyDom"/> set (a frontend), only a port to that domain.</summary>
    /// The scan stops at the first refusal other than -EINVAL and returns it: a port it could not
    /// look at may be the static channel, so finding none is not an answer.
    public static XenFailure ScanStatic<THc>(ref THc hc, in EventChannels events, ushort ownDomid, int onlyDom, ref PeerList peers)
        where THc : struct, IXenHypercalls
    {
        for (uint port = 1; port <= MaxStaticPort; port++)
        {
            if (events.IsOpen(port))
                continue;
            XenFailure f = EventChannelOp.Status(ref hc, port, out EvtchnStatus status);
            // A port past the domain's allocated ones is -EINVAL (evtchn_status: not a valid port).
            if (f.IsFailure && f.Cause == XenFailureCause.Errno && f.Value == -(int)XenErrno.EINVAL)
                continue;
            if (f.IsFailure)
                return f;
            if (status.Status != EvtchnStatus.Interdomain || status.RemoteDom == ownDomid)
                continue;
            if (onlyDom >= 0 && status.RemoteDom != onlyDom)
                continue;
            peers.TryAdd(status.RemoteDom, port, PeerDiscoveryKind.StaticEventChannel);
        }
        return XenFailure.None;
    }

    /// <summary>Dom0's probe: every other domain that exists and has not shut down is a peer.</summary>
    public static XenFailure Probe<THc>(ref THc hc, in XenInterfaces interfaces, ushort ownDomid, ref PeerList peers)
        where THc : struct, IXenHypercalls
    {
        DomainCursor cursor = default;
        XenFailure f;
        while (DomainControl.TryNext(ref hc, interfaces, ref cursor, out DomainInfo info, out f))
            if (info.Domid != ownDomid && !info.IsDone)
                peers.TryAdd(info.Domid, 0, PeerDiscoveryKind.Probe);
        return f;
    }
}
