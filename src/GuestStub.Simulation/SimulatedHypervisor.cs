using GuestStub.Memory;
using GuestStub.Xen;

namespace GuestStub.Simulation;

/// <summary>
/// The struct Core code is instantiated with on the host (<c>where THv : struct,
/// IXenHypervisor</c>): a thin wrapper that forwards every call to a <see cref="SimulatedXen"/>.
/// </summary>
public readonly unsafe struct SimulatedHypervisor : IXenHypervisor
{
    private readonly SimulatedXen _xen;

    public SimulatedHypervisor(SimulatedXen xen) => _xen = xen;

    public SimulatedXen Model => _xen;

    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) => _xen.Hypercall(op, a0, a1, a2, a3, a4);

    public byte* Page(ulong gfn) => _xen.Page(gfn);

    public bool BeginNormalAccess(PhysicalRange range) => _xen.BeginNormalAccess(range);

    public void EndNormalAccess(PhysicalRange range) => _xen.EndNormalAccess(range);

    public void WriteBarrier() => _xen.WriteBarrier();
}
