using GuestStub.Memory;
using GuestStub.Xen;

namespace GuestStub.Simulation;

/// <summary>
/// The hypercall transport Core code is instantiated with on the host (<c>where THc : struct,
/// IXenHypercalls</c>): every call goes to the <see cref="SimulatedXen"/> it wraps. What the
/// model allocates while it answers is counted apart (<see cref="SimulatedXen.ModelAllocatedBytes"/>).
/// </summary>
public readonly struct SimulatedHypercalls : IXenHypercalls
{
    private readonly SimulatedXen _xen;

    public SimulatedHypercalls(SimulatedXen xen) => _xen = xen;

    public SimulatedXen Model => _xen;

    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        using SimulatedXen.ModelScope model = _xen.InModel();
        return _xen.Hypercall(op, a0, a1, a2, a3, a4);
    }
}

/// <summary>
/// Guest-physical memory as the simulated guest sees it (<c>where TMem : struct, IGuestMemory</c>):
/// pages through the model's P2M and their backing store, attribute changes counted so teardown
/// can be checked.
/// </summary>
public readonly unsafe struct SimulatedMemory : IGuestMemory
{
    private readonly SimulatedXen _xen;

    public SimulatedMemory(SimulatedXen xen) => _xen = xen;

    public byte* Page(ulong gfn)
    {
        using SimulatedXen.ModelScope model = _xen.InModel();
        return _xen.Page(gfn);
    }

    public bool BeginNormalAccess(PhysicalRange range)
    {
        using SimulatedXen.ModelScope model = _xen.InModel();
        return _xen.BeginNormalAccess(range);
    }

    public void EndNormalAccess(PhysicalRange range)
    {
        using SimulatedXen.ModelScope model = _xen.InModel();
        _xen.EndNormalAccess(range);
    }

    public void WriteBarrier() => _xen.WriteBarrier();

    public ulong AtomicExchange(ulong* location, ulong value) => System.Threading.Interlocked.Exchange(ref *location, value);

    public ulong AtomicOr(ulong* location, ulong bits) => System.Threading.Interlocked.Or(ref *location, bits);

    public ulong AtomicAndNot(ulong* location, ulong bits) => System.Threading.Interlocked.And(ref *location, ~bits);

    public ulong AtomicCompareExchange(ulong* location, ulong expected, ulong value) =>
        System.Threading.Interlocked.CompareExchange(ref *location, value, expected);
}

/// <summary>
/// The upcall as the simulated guest receives it (<c>where TIrq : struct, IInterruptController</c>):
/// enabling the PPI Xen raises for this domain lets <see cref="Idle"/> run Core's upcall handler
/// on the platform's event-channel table while the modelled line is asserted, as the guest's IRQ
/// handler does on real hardware. Enabling another PPI is accepted and never delivers, so a
/// wrong interrupt id shows up as a bounded wait running out.
/// </summary>
public unsafe struct SimulatedInterrupts : GuestStub.Platform.IInterruptController
{
    private readonly SimulatedXen _xen;
    private readonly GuestStub.Xen.Events.EventChannels* _events;
    private uint _enabled;

    public SimulatedInterrupts(SimulatedXen xen, GuestStub.Xen.Events.EventChannels* events)
    {
        _xen = xen;
        _events = events;
        _enabled = 0;
    }

    /// <summary>Over the domain's own event-channel table (<see cref="SimulatedXen.GuestEvents"/>).</summary>
    public SimulatedInterrupts(SimulatedXen xen) : this(xen, xen.GuestEvents)
    {
    }

    /// <summary>The interrupt id enabled now (0: none).</summary>
    public readonly uint Enabled => _enabled;

    public bool Enable(uint intId)
    {
        if (intId < 16 || intId >= 32)
            return false;
        _enabled = intId;
        return true;
    }

    public void Disable(uint intId)
    {
        if (_enabled == intId)
            _enabled = 0;
    }

    /// <summary>
    /// The guest's IRQ window, then SCHEDOP_yield: the upcall runs while the line is asserted; when
    /// it ran, the caller has something to look at and Idle returns. Otherwise the domain gives
    /// the machine's CPU away (<see cref="MachineClock.Idle"/>) until its next turn: after the
    /// other domains have run until idle, or time has moved on.
    /// </summary>
    public void Idle()
    {
        var memory = new SimulatedMemory(_xen);
        var clock = new MachineTicks(_xen.Clock);
        bool handled = false;
        // Bounded like a level-triggered line: each upcall clears the flag before scanning.
        for (int i = 0; i < 8 && _enabled == _xen.UpcallIntId && _xen.UpcallPending; i++)
        {
            _events->HandleUpcall(ref memory, ref clock);
            handled = true;
        }
        new SimulatedHypercalls(_xen).Hypercall(GuestStub.Xen.HypercallNumber.SchedOp, GuestStub.Xen.SchedOpCommand.Yield, 0, 0, 0, 0);
        if (handled)
            return;
        using SimulatedXen.ModelScope model = _xen.InModel();
        _xen.Clock.Idle(_xen, _enabled);
    }
}
