using GuestStub.Boot;
using GuestStub.Memory;
using GuestStub.Xen;

namespace GuestStub.Guest;

/// <summary>
/// The real Xen, for Core's <c>where THv : struct, IXenHypervisor</c> code: hypercalls are
/// <c>hvc #0xEA1</c> (native/hypercall.S) and guest-physical memory is reached through the
/// identity map (pointer == guest-physical address), with the first GiB made Normal on demand
/// by <see cref="IdentityMap"/>. Empty: every call compiles to a direct call.
/// </summary>
internal unsafe struct GuestHypervisor : IXenHypervisor
{
    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) =>
        Native.XenHypercall(a0, a1, a2, a3, a4, op);

    public byte* Page(ulong gfn) =>
        gfn < IdentityMap.Limit >> XenPage.Shift ? (byte*)(gfn << XenPage.Shift) : null;

    public bool BeginNormalAccess(PhysicalRange range) => IdentityMap.BeginNormal(range);

    public void EndNormalAccess(PhysicalRange range) => IdentityMap.EndNormal(range);

    public void WriteBarrier() => Native.DmbIshst();
}

/// <summary>The generic timer's virtual count (CNTVCT_EL0, read after an isb) and its
/// frequency (CNTFRQ_EL0), for <c>gueststub.bench=scratch</c>.</summary>
internal struct CounterTicks : ITickSource
{
    public ulong ReadTicks() => Native.ReadCntvct();

    public ulong TicksPerSecond() => Native.ReadCntfrq();
}
