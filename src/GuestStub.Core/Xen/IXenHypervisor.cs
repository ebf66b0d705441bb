namespace GuestStub.Xen;

/// <summary>
/// The hypervisor as Core code sees it: the raw hypercall instruction plus access to
/// guest-physical memory. Implemented by structs only and used as a generic constraint
/// (<c>where THv : struct, IXenHypervisor</c>), so the guest's calls compile to direct calls:
/// GuestStub.Guest's implementation issues <c>hvc #0xEA1</c> and reaches memory through the
/// identity map; GuestStub.Simulation's drives a modelled Xen and its backing store.
/// </summary>
public unsafe interface IXenHypervisor
{
    /// <summary>
    /// Hypercall <paramref name="op"/> (see <see cref="HypercallNumber"/>) with arguments
    /// a0..a4. Pointer arguments (and the handles inside argument structures) are addresses in
    /// the caller's own address space: Xen on Arm translates them through the guest's stage-1
    /// tables, the simulation dereferences them. Returns Xen's result (negative errno on
    /// failure).
    /// </summary>
    long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4);

    /// <summary>
    /// A pointer to the 4 KiB guest-physical page <paramref name="gfn"/>, or null when the stub
    /// cannot reach it (outside the guest's identity map; a hole in the simulated P2M). The
    /// pointer is valid until the P2M entry for <paramref name="gfn"/> changes. The pages of
    /// one RAM bank as the guest booted with it are contiguous: the pointer for the first page
    /// of a run the stub's page allocator gave reaches the whole run (the guest's identity map;
    /// the simulation backs each boot RAM bank with one buffer).
    /// </summary>
    byte* Page(ulong gfn);

    /// <summary>
    /// Makes <paramref name="range"/> (page aligned) accessible as Normal write-back memory
    /// before the stub shares it with Xen. The guest maps its first GiB as Device memory, so a
    /// grant table in a domU's region 0 (0x38000000) needs remapping; RAM is already Normal.
    /// False when that cannot be done (the range is not reachable).
    /// </summary>
    bool BeginNormalAccess(GuestStub.Memory.PhysicalRange range);

    /// <summary>
    /// Undoes <see cref="BeginNormalAccess"/>: cleans and invalidates the data cache over the
    /// range and restores the original attributes. Called while Xen still maps the frames.
    /// </summary>
    void EndNormalAccess(GuestStub.Memory.PhysicalRange range);

    /// <summary>Orders earlier stores before later ones as Xen sees them (Linux wmb(), dmb ishst).</summary>
    void WriteBarrier();
}
