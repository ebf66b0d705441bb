namespace GuestStub.Xen;

/// <summary>
/// The hypercall half of the platform seam (the other half is guest memory,
/// GuestStub.Memory.IGuestMemory): the raw hypercall instruction. Implemented by structs only
/// and used as a generic constraint (<c>where THc : struct, IXenHypercalls</c>), so the guest's
/// calls compile to direct calls: GuestStub.Guest's implementation issues <c>hvc #0xEA1</c>,
/// GuestStub.Simulation's drives a modelled Xen as one of its domains.
/// </summary>
public interface IXenHypercalls
{
    /// <summary>
    /// Hypercall <paramref name="op"/> (see <see cref="HypercallNumber"/>) with arguments
    /// a0..a4. Pointer arguments (and the handles inside argument structures) are addresses in
    /// the caller's own address space: Xen on Arm translates them through the guest's stage-1
    /// tables, the simulation dereferences them. Returns Xen's result (negative errno on
    /// failure).
    /// </summary>
    long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4);
}
