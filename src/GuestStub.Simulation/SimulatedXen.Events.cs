using System;
using System.Collections.Generic;
using System.Threading;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// event_channel_op (Xen 4.17 common/event_channel.c, event_2l.c): ports with their states,
// interdomain links, and the 2-level pending/mask bitmaps and vCPU 0's upcall flags in the
// shared_info frame, which Xen owns whether or not the guest has mapped it.
public sealed unsafe partial class SimulatedXen
{
    /// <summary>The highest port the 2-level ABI addresses on a 64-bit guest, plus one.</summary>
    public const uint PortLimit = SharedInfoLayout.Ports;

    private enum PortState { Free, Unbound, Interdomain }

    private sealed class Port
    {
        public PortState State;
        /// <summary>Unbound: who may bind. Interdomain: the other end's domain.</summary>
        public ushort RemoteDom;
        public uint RemotePort;
        /// <summary>For a static event channel, the binding Xen made before the domain ran.</summary>
        public StaticBinding? Static;
    }

    /// <summary>The other end of a static event channel, as Xen bound it.</summary>
    private sealed record StaticBinding(ushort RemoteDom, uint RemotePort);

    private readonly Dictionary<uint, Port> _ports = new();

    /// <summary>The guest's event-channel table for this domain: what the guest keeps in a
    /// static (its IRQ handler dispatches into it), here in native memory the model frees.</summary>
    public GuestStub.Xen.Events.EventChannels* GuestEvents { get; } =
        (GuestStub.Xen.Events.EventChannels*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)sizeof(GuestStub.Xen.Events.EventChannels));

    /// <summary>The GIC interrupt id Xen raises the upcall on for this domain: the hypervisor
    /// node's PPI (<see cref="SimulatedXenOptions.UpcallIntId"/>), by default 16 for dom0 (the
    /// PPI Xen allocated in the boots modelled) and GUEST_EVTCHN_PPI 31 for a domU.</summary>
    public uint UpcallIntId => _options.UpcallIntId ?? (_options.Kind == SimulatedDomainKind.Dom0 ? 16u : 31u);

    /// <summary>vCPU 0's evtchn_upcall_pending: the upcall line is asserted while it is set
    /// (Xen's vcpu_update_evtchn_irq on Arm).</summary>
    public bool UpcallPending => Volatile.Read(ref _sharedInfo.Data[SharedInfoLayout.UpcallPendingOffset]) != 0;

    /// <summary>The ports not free, static ones included, for tests: "port N state (remote ...)".</summary>
    public IReadOnlyList<string> OpenPorts()
    {
        lock (SyncRoot)
        {
            var open = new List<string>();
            foreach (KeyValuePair<uint, Port> kv in _ports)
                if (kv.Value.State != PortState.Free)
                    open.Add(Describe(kv.Key, kv.Value));
            return open;
        }
    }

    private static string Describe(uint port, Port p) => p.State == PortState.Free
        ? $"port {port} closed"
        : $"port {port} {p.State.ToString().ToLowerInvariant()} (remote dom {p.RemoteDom}" +
          (p.State == PortState.Interdomain ? $" port {p.RemotePort})" : ")");

    /// <summary>Xen 4.17 alloc_static_evtchn, first end: evtchn_alloc_unbound at
    /// <paramref name="port"/> for <paramref name="remoteDom"/> (evtchn_allocate_port: a port
    /// in use is -EBUSY, which makes Xen panic at boot; here an exception).</summary>
    internal void AllocStaticUnbound(uint port, ushort remoteDom)
    {
        CheckStaticPort(port);
        _ports[port] = new Port { State = PortState.Unbound, RemoteDom = remoteDom };
    }

    /// <summary>The second end: evtchn_bind_interdomain at <paramref name="localPort"/> to
    /// <paramref name="remote"/>'s unbound <paramref name="remotePort"/>, which sets the local
    /// port pending ("we may have lost notifications"), as any interdomain bind does.</summary>
    internal void BindStaticInterdomain(uint localPort, SimulatedXen remote, uint remotePort)
    {
        CheckStaticPort(localPort);
        if (!remote._ports.TryGetValue(remotePort, out Port? remoteEnd) || remoteEnd.State != PortState.Unbound ||
            remoteEnd.RemoteDom != _options.DomainId)
            throw new SimulatedXenException($"static event channel: dom {remote._options.DomainId} port {remotePort} is not unbound for dom {_options.DomainId}");
        _ports[localPort] = new Port
        {
            State = PortState.Interdomain, RemoteDom = remote._options.DomainId, RemotePort = remotePort,
            Static = new StaticBinding(remote._options.DomainId, remotePort),
        };
        remoteEnd.State = PortState.Interdomain;
        remoteEnd.RemotePort = localPort;
        remoteEnd.Static = new StaticBinding(_options.DomainId, localPort);
        Log($"static event channel: port {localPort} bound to dom {remote._options.DomainId} port {remotePort}");
        remote.Log($"static event channel: port {remotePort} bound to dom {_options.DomainId} port {localPort}");
        SetPending(localPort);
    }

    private void CheckStaticPort(uint port)
    {
        if (port == 0 || port >= PortLimit)
            throw new SimulatedXenException($"static event channel: dom {_options.DomainId} port {port} is out of range (1..{PortLimit - 1})");
        if (_ports.TryGetValue(port, out Port? p) && p.State != PortState.Free)
            throw new SimulatedXenException($"static event channel: dom {_options.DomainId} port {port} is in use: -EBUSY");
    }

    private long OnEventChannelOp(ulong cmd, ulong arg)
    {
        switch (cmd)
        {
            case EventChannelCommand.AllocUnbound:
                return AllocUnbound((EvtchnAllocUnbound*)arg);
            case EventChannelCommand.BindInterdomain:
                return BindInterdomain((EvtchnBindInterdomain*)arg);
            case EventChannelCommand.Send:
                return SendEvent(((EvtchnPort*)arg)->Port);
            case EventChannelCommand.Close:
                return CloseEvent(((EvtchnPort*)arg)->Port);
            case EventChannelCommand.Status:
                return EventStatus((EvtchnStatus*)arg);
            case EventChannelCommand.Unmask:
                return UnmaskEvent(((EvtchnPort*)arg)->Port);
            default:
                return Record($"event_channel_op({cmd})", Enosys);
        }
    }

    private long AllocUnbound(EvtchnAllocUnbound* a)
    {
        string name = $"EVTCHNOP_alloc_unbound(dom {a->Dom}, remote {a->RemoteDom})";
        if (TryInjectedFault(XenCall.EvtchnAllocUnbound, out long fault))
            return Record(name, fault);
        if (!IsSelf(a->Dom))
            return Record(name, -(long)XenErrno.EPERM); // the model has no privileged domain
        // XSM SILO, the mode Arm builds default to (Debian's 4.17 and 4.20, the 4.21.2 build:
        // "Initialising XSM SILO mode"): silo_evtchn_unbound looks the remote domain up, -ESRCH
        // when there is none (a domU's port for a dom0 that does not exist).
        if (a->RemoteDom != DomainId.Self && Domain(a->RemoteDom) is null)
            return Record(name, -(long)XenErrno.ESRCH);
        uint port = LowestFreePort();
        if (port == 0)
            return Record(name, -(long)XenErrno.ENOSPC);
        // As Xen: DOMID_SELF as the remote is stored as the caller's real id.
        _ports[port] = new Port { State = PortState.Unbound, RemoteDom = a->RemoteDom == DomainId.Self ? _options.DomainId : a->RemoteDom };
        a->Port = port;
        return Record($"{name} -> port {port}", 0);
    }

    private long BindInterdomain(EvtchnBindInterdomain* b)
    {
        string name = $"EVTCHNOP_bind_interdomain(remote dom {b->RemoteDom}, port {b->RemotePort})";
        if (TryInjectedFault(XenCall.EvtchnBindInterdomain, out long fault))
            return Record(name, fault);
        SimulatedXen? remote = Domain(b->RemoteDom);
        if (remote is null)
            return Record(name, -(long)XenErrno.ESRCH);
        if (!remote._ports.TryGetValue(b->RemotePort, out Port? remoteEnd) || remoteEnd.State != PortState.Unbound ||
            remoteEnd.RemoteDom != _options.DomainId)
            return Record(name, Einval);
        uint local = LowestFreePort();
        if (local == 0)
            return Record(name, -(long)XenErrno.ENOSPC);
        _ports[local] = new Port { State = PortState.Interdomain, RemoteDom = remote._options.DomainId, RemotePort = b->RemotePort };
        remoteEnd.State = PortState.Interdomain;
        remoteEnd.RemoteDom = _options.DomainId;
        remoteEnd.RemotePort = local;
        b->LocalPort = local;
        // Xen evtchn_bind_interdomain: "we may have lost notifications on the remote unbound
        // port": the new local port is always set pending.
        SetPending(local);
        return Record($"{name} -> port {local}", 0);
    }

    private long SendEvent(uint port)
    {
        string name = $"EVTCHNOP_send(port {port})";
        if (TryInjectedFault(XenCall.EvtchnSend, out long fault))
            return Record(name, fault);
        if (OpenPort(port) is not Port p)
            return Record(name, Einval);
        if (p.State == PortState.Interdomain)
            Domain(p.RemoteDom)?.SetPending(p.RemotePort);
        return Record(name, 0); // an unbound port drops the notification, as in Xen
    }

    private long CloseEvent(uint port)
    {
        string name = $"EVTCHNOP_close(port {port})";
        if (TryInjectedFault(XenCall.EvtchnClose, out long fault))
            return Record(name, fault);
        if (OpenPort(port) is not Port p)
            return Record(name, Einval);
        if (p.State == PortState.Interdomain && Domain(p.RemoteDom) is SimulatedXen remote &&
            remote._ports.TryGetValue(p.RemotePort, out Port? other) && other.State == PortState.Interdomain)
        {
            // Xen evtchn_close: the other end goes back to unbound, bindable by this domain again.
            other.State = PortState.Unbound;
            other.RemoteDom = _options.DomainId;
            other.RemotePort = 0;
        }
        // Xen 4.17 closes a static port like any other; the model remembers it was one, so the
        // books can say it is gone.
        if (p.Static is null)
            _ports.Remove(port);
        else
            p.State = PortState.Free;
        return Record(name, 0);
    }

    private long EventStatus(EvtchnStatus* s)
    {
        string name = $"EVTCHNOP_status(dom {s->Dom}, port {s->Port})";
        if (TryInjectedFault(XenCall.EvtchnStatus, out long fault))
            return Record(name, fault);
        if (!IsSelf(s->Dom))
            return Record(name, -(long)XenErrno.EPERM);
        if (s->Port == 0 || s->Port >= PortLimit)
            return Record(name, Einval);
        s->Vcpu = 0;
        if (OpenPort(s->Port) is not Port p)
            s->Status = EvtchnStatus.Closed;
        else
        {
            s->Status = p.State == PortState.Unbound ? EvtchnStatus.Unbound : EvtchnStatus.Interdomain;
            s->RemoteDom = p.RemoteDom;
            s->RemotePort = p.State == PortState.Interdomain ? p.RemotePort : 0;
        }
        return Record($"{name} -> {s->Status}", 0);
    }

    private long UnmaskEvent(uint port)
    {
        string name = $"EVTCHNOP_unmask(port {port})";
        if (TryInjectedFault(XenCall.EvtchnUnmask, out long fault))
            return Record(name, fault);
        if (OpenPort(port) is not Port p)
            return Record(name, Einval);
        // Xen 4.17 evtchn_2l_unmask: the upcall is raised only when this call clears the mask
        // bit and the port is pending; a guest that cleared the mask itself gets nothing.
        ulong bit = 1UL << (int)(port % 64);
        ulong* mask = MaskWords();
        if ((Interlocked.And(ref mask[port / 64], ~bit) & bit) != 0 && (Volatile.Read(ref PendingWords()[port / 64]) & bit) != 0)
            RaiseUpcall(port);
        return Record(name, 0);
    }

    /// <summary>Xen evtchn_2l_set_pending: a 0->1 pending edge on an unmasked port sets the
    /// selector bit and, on its 0->1 edge, vCPU 0's upcall flag.</summary>
    internal void SetPending(uint port)
    {
        ulong bit = 1UL << (int)(port % 64);
        if ((Interlocked.Or(ref PendingWords()[port / 64], bit) & bit) != 0)
            return;
        if ((Volatile.Read(ref MaskWords()[port / 64]) & bit) == 0)
            RaiseUpcall(port);
    }

    private void RaiseUpcall(uint port)
    {
        ulong selector = 1UL << (int)(port / 64);
        ulong* sel = (ulong*)(_sharedInfo.Data + SharedInfoLayout.PendingSelOffset);
        if ((Interlocked.Or(ref *sel, selector) & selector) == 0)
            Volatile.Write(ref _sharedInfo.Data[SharedInfoLayout.UpcallPendingOffset], (byte)1);
        // The vCPU is kicked (vcpu_mark_events_pending): a domain idle on the machine is ready.
        Clock.Wake(this);
    }

    private ulong* PendingWords() => (ulong*)(_sharedInfo.Data + SharedInfoLayout.EvtchnPendingOffset);

    private ulong* MaskWords() => (ulong*)(_sharedInfo.Data + SharedInfoLayout.EvtchnMaskOffset);

    /// <summary>The port if it is open (unbound or interdomain), else null: closed, or never used.</summary>
    private Port? OpenPort(uint port) => _ports.TryGetValue(port, out Port? p) && p.State != PortState.Free ? p : null;

    private uint LowestFreePort()
    {
        for (uint port = 1; port < PortLimit; port++)
            if (OpenPort(port) is null)
                return port;
        return 0;
    }

    /// <summary>The domain <paramref name="domid"/> names, seen from this one: itself for
    /// DOMID_SELF or its own id, else another domain of the machine.</summary>
    private SimulatedXen? Domain(ushort domid) =>
        IsSelf(domid) ? this : Machine?.Find(domid);
}
