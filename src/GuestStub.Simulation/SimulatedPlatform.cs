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
        long before = _xen.EnterModel();
        try
        {
            return _xen.Hypercall(op, a0, a1, a2, a3, a4);
        }
        finally
        {
            _xen.LeaveModel(before);
        }
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
        long before = _xen.EnterModel();
        try
        {
            return _xen.Page(gfn);
        }
        finally
        {
            _xen.LeaveModel(before);
        }
    }

    public bool BeginNormalAccess(PhysicalRange range)
    {
        long before = _xen.EnterModel();
        try
        {
            return _xen.BeginNormalAccess(range);
        }
        finally
        {
            _xen.LeaveModel(before);
        }
    }

    public void EndNormalAccess(PhysicalRange range)
    {
        long before = _xen.EnterModel();
        try
        {
            _xen.EndNormalAccess(range);
        }
        finally
        {
            _xen.LeaveModel(before);
        }
    }

    public void WriteBarrier() => _xen.WriteBarrier();
}
