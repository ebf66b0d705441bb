using System;

namespace GuestStub.Simulation;

// What the model itself allocates on the host heap (its P2M dictionaries, call log, frames),
// so a test can tell Core's allocations from the model's: the boot pipeline must allocate
// nothing, and the difference between the thread's allocations and the model's is Core's.
public sealed partial class SimulatedXen
{
    private int _modelDepth;

    /// <summary>Bytes allocated on the host heap inside the model's entry points
    /// (<see cref="SimulatedHypercalls"/>, <see cref="SimulatedMemory"/>), on this thread.</summary>
    public long ModelAllocatedBytes { get; private set; }

    /// <summary>Marks the start of a call into the model; returns the thread's allocation count
    /// for <see cref="LeaveModel"/>. Nested calls count once, in the outermost.</summary>
    internal long EnterModel() => _modelDepth++ == 0 ? GC.GetAllocatedBytesForCurrentThread() : 0;

    internal void LeaveModel(long before)
    {
        if (--_modelDepth == 0)
            ModelAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>A call into the model, for <c>using</c>: <see cref="EnterModel"/> now,
    /// <see cref="LeaveModel"/> when it is disposed. A ref struct: the scope allocates nothing.</summary>
    internal ModelScope InModel() => new(this);

    internal readonly ref struct ModelScope
    {
        private readonly SimulatedXen _xen;
        private readonly long _before;

        public ModelScope(SimulatedXen xen)
        {
            _xen = xen;
            _before = xen.EnterModel();
        }

        public void Dispose() => _xen.LeaveModel(_before);
    }
}
