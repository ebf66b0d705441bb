using GuestStub.Memory;
using GuestStub.Platform;

namespace GuestStub.Xen.Events;

/// <summary>
/// The stub's event channels: which ports it has open, what each one does when an event
/// arrives, and the upcall that finds them (Linux drivers/xen/events/events_base.c over the
/// 2-level ABI of <see cref="EventChannel2L"/>). The binding API allocates unbound ports, binds
/// interdomain, adopts ports Xen bound before the domain ran (static event channels), sends and
/// closes; each open port has an optional handler (a function pointer with a context word,
/// called from the upcall with interrupts masked) and counts its events with the counter tick
/// of the latest, so a bounded wait can poll <see cref="Arrivals"/>.
///
/// A value of fixed capacity, owned by the platform (a static in the guest, whose IRQ handler
/// dispatches into it; a native allocation in the simulation), and lent to Core by reference.
/// </summary>
public unsafe struct EventChannels : IEventSink
{
    /// <summary>Ports open at once.</summary>
    public const int Capacity = 16;

    private fixed uint _port[Capacity];
    private fixed ulong _handler[Capacity];
    private fixed ulong _context[Capacity];
    private fixed ulong _arrivals[Capacity];
    private fixed ulong _lastArrivalTicks[Capacity];
    private int _count;

    private byte* _sharedInfo;
    private ulong _nowTicks;

    /// <summary>The GIC interrupt the upcall arrives on (0: not attached).</summary>
    public uint UpcallIntId { get; private set; }

    /// <summary>Upcalls handled, and those that found nothing pending (spurious).</summary>
    public ulong Upcalls { get; private set; }
    public ulong EmptyUpcalls { get; private set; }

    /// <summary>Events on ports the stub has not bound (masked ports never raise one; these
    /// are events that were pending when the port was closed, or a model's mistake).</summary>
    public ulong StrayEvents { get; private set; }

    public readonly bool IsAttached => _sharedInfo != null;

    public readonly int OpenCount => _count;

    /// <summary>Starts taking upcalls through <paramref name="sharedInfo"/> (vCPU 0's vcpu_info
    /// there) on GIC interrupt <paramref name="intId"/>. Every port is masked until bound.</summary>
    public void Attach(byte* sharedInfo, uint intId)
    {
        _sharedInfo = sharedInfo;
        UpcallIntId = intId;
        _count = 0;
        Upcalls = EmptyUpcalls = StrayEvents = 0;
        EventChannel2L.MaskAll(sharedInfo);
    }

    /// <summary>Stops taking upcalls. Ports still open are forgotten: close them first
    /// (<see cref="CloseAll"/>).</summary>
    public void Detach()
    {
        _sharedInfo = null;
        UpcallIntId = 0;
        _count = 0;
    }

    // ------------------------------------------------------------------ the binding API

    /// <summary>EVTCHNOP_alloc_unbound for <paramref name="remoteDom"/>, the port opened here.</summary>
    public XenFailure AllocateUnbound<THc, TMem>(ref THc hc, ref TMem mem, ushort remoteDom, out uint port)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        port = 0;
        if (!IsAttached || _count == Capacity)
            return XenFailure.Stub(XenFailureCause.NoUpcall);
        XenFailure f = EventChannelOp.AllocUnbound(ref hc, remoteDom, out port);
        return f.IsFailure ? f : Open(ref hc, ref mem, port);
    }

    /// <summary>EVTCHNOP_bind_interdomain to <paramref name="remotePort"/> of
    /// <paramref name="remoteDom"/>, the local port opened here.</summary>
    public XenFailure BindInterdomain<THc, TMem>(ref THc hc, ref TMem mem, ushort remoteDom, uint remotePort, out uint localPort)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        localPort = 0;
        if (!IsAttached || _count == Capacity)
            return XenFailure.Stub(XenFailureCause.NoUpcall);
        XenFailure f = EventChannelOp.BindInterdomain(ref hc, remoteDom, remotePort, out localPort);
        return f.IsFailure ? f : Open(ref hc, ref mem, localPort);
    }

    /// <summary>Takes over a port Xen bound before the domain ran (a static event channel). Its
    /// pending bit is cleared first: Xen sets it when it binds the channel
    /// (evtchn_bind_interdomain "conservatively" notifies the binder), so it carries no event
    /// of the peer's, and counting it would take it for the peer's first notification.</summary>
    public XenFailure Adopt<THc, TMem>(ref THc hc, ref TMem mem, uint port)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        if (!IsAttached || _count == Capacity)
            return XenFailure.Stub(XenFailureCause.NoUpcall);
        if (IndexOf(port) >= 0)
            return XenFailure.None;
        EventChannel2L.ClearPending(ref mem, _sharedInfo, port);
        return Open(ref hc, ref mem, port);
    }

    /// <summary>Sets what <paramref name="port"/> does when an event arrives (null: just count).</summary>
    public bool SetHandler(uint port, delegate*<uint, ulong, void> handler, ulong context)
    {
        int i = IndexOf(port);
        if (i < 0)
            return false;
        _handler[i] = (ulong)handler;
        _context[i] = context;
        return true;
    }

    public XenFailure Send<THc>(ref THc hc, uint port) where THc : struct, IXenHypercalls => EventChannelOp.Send(ref hc, port);

    /// <summary>Masks and closes <paramref name="port"/> and forgets it. When Xen refuses, the
    /// port stays in the table (masked, its handler gone) for <see cref="CloseAll"/> to try again.</summary>
    public XenFailure Close<THc, TMem>(ref THc hc, ref TMem mem, uint port)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        int i = IndexOf(port);
        if (i >= 0)
        {
            if (IsAttached)
                EventChannel2L.Mask(ref mem, _sharedInfo, port);
            _handler[i] = 0;
        }
        XenFailure f = EventChannelOp.Close(ref hc, port);
        if (!f.IsFailure && i >= 0)
            Forget(i);
        return f;
    }

    private void Forget(int i)
    {
        _count--;
        _port[i] = _port[_count];
        _handler[i] = _handler[_count];
        _context[i] = _context[_count];
        _arrivals[i] = _arrivals[_count];
        _lastArrivalTicks[i] = _lastArrivalTicks[_count];
    }

    /// <summary>Closes <paramref name="port"/> (<see cref="Close"/>), or for a static event channel
    /// only releases it (<see cref="Release"/>); port 0 is no port and nothing to do.</summary>
    public XenFailure CloseOrRelease<THc, TMem>(ref THc hc, ref TMem mem, uint port, bool isStatic)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        if (port == 0)
            return XenFailure.None;
        if (!isStatic)
            return Close(ref hc, ref mem, port);
        Release(ref mem, port);
        return XenFailure.None;
    }

    /// <summary>Masks <paramref name="port"/> and forgets it without closing it: for a static
    /// event channel, which the host's DT set up and which must still be there for the next boot.</summary>
    public void Release<TMem>(ref TMem mem, uint port) where TMem : struct, IGuestMemory
    {
        int i = IndexOf(port);
        if (i < 0)
            return;
        if (IsAttached)
            EventChannel2L.Mask(ref mem, _sharedInfo, port);
        Forget(i);
    }

    /// <summary>Closes every open port, each once; keeps going after a failure and returns the first.</summary>
    public XenFailure CloseAll<THc, TMem>(ref THc hc, ref TMem mem)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        XenFailure first = XenFailure.None;
        for (int i = _count - 1; i >= 0; i--)
            first = first.Or(Close(ref hc, ref mem, _port[i]));
        return first;
    }

    public readonly bool IsOpen(uint port) => IndexOf(port) >= 0;

    /// <summary>Events that arrived on <paramref name="port"/> since it was opened.</summary>
    public readonly ulong Arrivals(uint port)
    {
        int i = IndexOf(port);
        return i < 0 ? 0 : _arrivals[i];
    }

    /// <summary>The counter tick at which the latest event on <paramref name="port"/> was handled.</summary>
    public readonly ulong LastArrivalTicks(uint port)
    {
        int i = IndexOf(port);
        return i < 0 ? 0 : _lastArrivalTicks[i];
    }

    // ------------------------------------------------------------------ the upcall

    /// <summary>
    /// The upcall: scans the 2-level bitmaps (<see cref="EventChannel2L.Scan"/>) and, for each
    /// port with an event, counts it, stamps it with <paramref name="clock"/> and calls its
    /// handler. Called from the guest's IRQ handler (interrupts masked) or, in the simulation,
    /// when the modelled upcall line is asserted. Returns the events handled.
    /// </summary>
    public int HandleUpcall<TMem, TClock>(ref TMem mem, ref TClock clock) where TMem : struct, IGuestMemory where TClock : struct, ITickSource
    {
        if (!IsAttached)
            return 0;
        Upcalls++;
        _nowTicks = clock.ReadTicks();
        int handled = EventChannel2L.Scan(ref mem, _sharedInfo, ref this);
        if (handled == 0)
            EmptyUpcalls++;
        return handled;
    }

    void IEventSink.OnEvent(uint port)
    {
        int i = IndexOf(port);
        if (i < 0)
        {
            StrayEvents++;
            return;
        }
        _arrivals[i]++;
        _lastArrivalTicks[i] = _nowTicks;
        ulong handler = _handler[i];
        if (handler != 0)
            ((delegate*<uint, ulong, void>)handler)(port, _context[i]);
    }

    private XenFailure Open<THc, TMem>(ref THc hc, ref TMem mem, uint port)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        int i = _count++;
        _port[i] = port;
        _handler[i] = 0;
        _context[i] = 0;
        _arrivals[i] = 0;
        _lastArrivalTicks[i] = 0;
        // Pending already (an event before the binding was recorded): Xen raises it again.
        return EventChannel2L.Unmask(ref mem, _sharedInfo, port) ? EventChannelOp.Unmask(ref hc, port) : XenFailure.None;
    }

    private readonly int IndexOf(uint port)
    {
        if (port == 0)
            return -1;
        for (int i = 0; i < _count; i++)
            if (_port[i] == port)
                return i;
        return -1;
    }
}
