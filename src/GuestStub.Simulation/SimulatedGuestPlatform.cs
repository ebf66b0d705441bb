using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Events;

namespace GuestStub.Simulation;

/// <summary>
/// The whole platform of a simulated guest as Core's stages take it (<c>where TPlatform : struct,
/// IXenPlatform</c>): its parts (<see cref="SimulatedHypercalls"/>, <see cref="SimulatedMemory"/>,
/// <see cref="SimulatedInterrupts"/>, <see cref="MachineTicks"/>) over one modelled domain, and
/// that domain's event-channel table (<see cref="SimulatedXen.GuestEvents"/>), which the
/// simulated upcall dispatches into. A mutable struct: the interrupt part remembers the PPI
/// enabled, so it is passed by reference like the guest's.
/// </summary>
public unsafe struct SimulatedGuestPlatform : IXenPlatform
{
    private readonly SimulatedHypercalls _hypercalls;
    private readonly SimulatedMemory _memory;
    private SimulatedInterrupts _interrupts;
    private readonly MachineTicks _clock;
    private readonly EventChannels* _events;

    public SimulatedGuestPlatform(SimulatedXen xen)
    {
        _hypercalls = new SimulatedHypercalls(xen);
        _memory = new SimulatedMemory(xen);
        _interrupts = new SimulatedInterrupts(xen, xen.GuestEvents);
        _clock = new MachineTicks(xen.Clock);
        _events = xen.GuestEvents;
    }

    /// <summary>The interrupt id enabled now (0: none).</summary>
    public readonly uint EnabledInterrupt => _interrupts.Enabled;

    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) => _hypercalls.Hypercall(op, a0, a1, a2, a3, a4);

    public byte* Page(ulong gfn) => _memory.Page(gfn);

    public bool BeginNormalAccess(PhysicalRange range) => _memory.BeginNormalAccess(range);

    public void EndNormalAccess(PhysicalRange range) => _memory.EndNormalAccess(range);

    public void WriteBarrier() => _memory.WriteBarrier();

    public ulong AtomicExchange(ulong* location, ulong value) => _memory.AtomicExchange(location, value);

    public ulong AtomicOr(ulong* location, ulong bits) => _memory.AtomicOr(location, bits);

    public ulong AtomicAndNot(ulong* location, ulong bits) => _memory.AtomicAndNot(location, bits);

    public ulong AtomicCompareExchange(ulong* location, ulong expected, ulong value) =>
        _memory.AtomicCompareExchange(location, expected, value);

    public bool Enable(uint intId) => _interrupts.Enable(intId);

    public void Disable(uint intId) => _interrupts.Disable(intId);

    public void Idle() => _interrupts.Idle();

    public ulong ReadTicks() => _clock.ReadTicks();

    public ulong TicksPerSecond() => _clock.TicksPerSecond();

    public readonly ref EventChannels Events => ref *_events;
}
