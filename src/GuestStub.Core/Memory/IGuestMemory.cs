namespace GuestStub.Memory;

/// <summary>
/// The guest-memory half of the platform seam (the other half is the hypercall transport,
/// GuestStub.Xen.IXenHypercalls): how Core code reaches guest-physical pages and changes their
/// memory attributes. Implemented by structs and used only as a generic constraint
/// (<c>where TMem : struct, IGuestMemory</c>), so the guest's calls compile to direct calls:
/// GuestStub.Guest reaches memory through its identity map, GuestStub.Simulation through a
/// modelled P2M and its backing store.
/// </summary>
public unsafe interface IGuestMemory
{
    /// <summary>
    /// A pointer to the 4 KiB guest-physical page <paramref name="gfn"/>, or null when the stub
    /// cannot reach it (outside the guest's identity map; a hole in the simulated P2M). The
    /// pointer is valid until the P2M entry for <paramref name="gfn"/> changes. The pages of one
    /// RAM bank as the guest booted with it are contiguous: the pointer for the first page of a
    /// run the stub's page allocator gave reaches the whole run.
    /// </summary>
    byte* Page(ulong gfn);

    /// <summary>
    /// Makes <paramref name="range"/> (page aligned) accessible as Normal write-back memory
    /// before the stub shares it with Xen. The guest maps its first GiB as Device memory, so a
    /// grant table in a domU's region 0 (0x38000000), or a scratch page there, needs remapping;
    /// RAM is already Normal. False when that cannot be done (the range is not reachable).
    /// </summary>
    bool BeginNormalAccess(PhysicalRange range);

    /// <summary>
    /// Undoes <see cref="BeginNormalAccess"/>: cleans and invalidates the data cache over the
    /// range and restores the original attributes. Called while Xen still maps the frames.
    /// </summary>
    void EndNormalAccess(PhysicalRange range);

    /// <summary>Orders earlier stores before later ones as Xen and other domains see them
    /// (Linux wmb(), dmb ishst).</summary>
    void WriteBarrier();

    /// <summary>Atomically replaces the word at <paramref name="location"/> with
    /// <paramref name="value"/> and returns what it held, fully ordered (Linux xchg): for words
    /// Xen writes concurrently, such as vcpu_info's evtchn_pending_sel.</summary>
    ulong AtomicExchange(ulong* location, ulong value);

    /// <summary>Atomically sets <paramref name="bits"/> in the word at <paramref name="location"/>,
    /// returning its old value, fully ordered (Linux sync_set_bit).</summary>
    ulong AtomicOr(ulong* location, ulong bits);

    /// <summary>Atomically clears <paramref name="bits"/> in the word at <paramref name="location"/>,
    /// returning its old value, fully ordered (Linux sync_clear_bit, sync_test_and_clear_bit).</summary>
    ulong AtomicAndNot(ulong* location, ulong bits);

    /// <summary>Atomically replaces the word at <paramref name="location"/> with
    /// <paramref name="value"/> if it holds <paramref name="expected"/>; returns what it held
    /// either way, fully ordered (Linux cmpxchg): for a grant entry's flags, which Xen changes
    /// while it maps the grant.</summary>
    ulong AtomicCompareExchange(ulong* location, ulong expected, ulong value);
}
