using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Events;

namespace GuestStub.Guest;

/// <summary>
/// The real Xen's hypercall transport, for Core's <c>where THc : struct, IXenHypercalls</c>
/// code: <c>hvc #0xEA1</c> (native/hypercall.S). Empty: every call compiles to a direct call.
/// </summary>
internal struct GuestHypercalls : IXenHypercalls
{
    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) =>
        Native.XenHypercall(a0, a1, a2, a3, a4, op);
}

/// <summary>
/// Guest-physical memory as the stub reaches it, for Core's <c>where TMem : struct,
/// IGuestMemory</c> code: through the identity map (pointer == guest-physical address), with
/// the first GiB made Normal on demand by <see cref="IdentityMap"/>.
/// </summary>
internal unsafe struct GuestMemory : IGuestMemory
{
    public byte* Page(ulong gfn) =>
        gfn < IdentityMap.Limit >> PageSize.Shift ? (byte*)(gfn << PageSize.Shift) : null;

    public bool BeginNormalAccess(PhysicalRange range) => IdentityMap.BeginNormal(range);

    public void EndNormalAccess(PhysicalRange range) => IdentityMap.EndNormal(range);

    public void WriteBarrier() => Native.DmbIshst();

    public ulong AtomicExchange(ulong* location, ulong value) => Native.AtomicExchange(location, value);

    public ulong AtomicOr(ulong* location, ulong bits) => Native.AtomicOr(location, bits);

    public ulong AtomicAndNot(ulong* location, ulong bits) => Native.AtomicAndNot(location, bits);

    public ulong AtomicCompareExchange(ulong* location, ulong expected, ulong value) => Native.AtomicCompareExchange(location, expected, value);
}

/// <summary>The generic timer's virtual count (CNTVCT_EL0, read after an isb) and its
/// frequency (CNTFRQ_EL0), for benchmarks and bounded waits.</summary>
internal struct CounterTicks : ITickSource
{
    public ulong ReadTicks() => Native.ReadCntvct();

    public ulong TicksPerSecond() => Native.ReadCntfrq();
}

/// <summary>
/// The whole platform as Core's stages take it (<c>where TPlatform : struct, IXenPlatform</c>):
/// the hypercall transport, the identity map, the GIC, the counter, and the IRQ handler's
/// event-channel table (<see cref="Upcall.Events"/>). Empty, like its parts: every call is direct.
/// </summary>
internal unsafe struct GuestPlatform : IXenPlatform
{
    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) =>
        Native.XenHypercall(a0, a1, a2, a3, a4, op);

    public byte* Page(ulong gfn) => new GuestMemory().Page(gfn);

    public bool BeginNormalAccess(PhysicalRange range) => IdentityMap.BeginNormal(range);

    public void EndNormalAccess(PhysicalRange range) => IdentityMap.EndNormal(range);

    public void WriteBarrier() => Native.DmbIshst();

    public ulong AtomicExchange(ulong* location, ulong value) => Native.AtomicExchange(location, value);

    public ulong AtomicOr(ulong* location, ulong bits) => Native.AtomicOr(location, bits);

    public ulong AtomicAndNot(ulong* location, ulong bits) => Native.AtomicAndNot(location, bits);

    public ulong AtomicCompareExchange(ulong* location, ulong expected, ulong value) => Native.AtomicCompareExchange(location, expected, value);

    public bool Enable(uint intId) => new Gic().Enable(intId);

    public void Disable(uint intId) => new Gic().Disable(intId);

    public void Idle() => new Gic().Idle();

    public ulong ReadTicks() => Native.ReadCntvct();

    public ulong TicksPerSecond() => Native.ReadCntfrq();

    public ref EventChannels Events => ref Upcall.Events;
}
