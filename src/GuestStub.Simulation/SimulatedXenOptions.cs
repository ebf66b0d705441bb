using System.Collections.Generic;
using GuestStub.Memory;

namespace GuestStub.Simulation;

/// <summary>The two kinds of Arm guest whose P2M semantics differ.</summary>
public enum SimulatedDomainKind
{
    /// <summary>Dom0, direct-mapped (gfn == mfn): decrease_reservation keeps the page owned by
    /// the domain, populate_physmap accepts only that same frame back.</summary>
    Dom0,
    /// <summary>A translated domU (dom0less): decrease_reservation frees the page,
    /// populate_physmap allocates any page up to the domain's maximum.</summary>
    DomU,
}

/// <summary>How the modelled Xen is set up.</summary>
public sealed class SimulatedXenOptions
{
    public SimulatedDomainKind Kind { get; init; } = SimulatedDomainKind.Dom0;

    /// <summary>The domain's real id (Xen checks grants against it); 0 for dom0.</summary>
    public ushort DomainId { get; init; }

    /// <summary>The guest's RAM; everything else in its physical space is a hole.</summary>
    public IReadOnlyList<PhysicalRange> Ram { get; init; } = new List<PhysicalRange>();

    /// <summary>gnttab_max_frames (Xen's default 64).</summary>
    public uint MaxGrantFrames { get; init; } = 64;

    /// <summary>Frames the table has at domain creation (Xen 4.17: 1).</summary>
    public uint InitialGrantFrames { get; init; } = 1;

    /// <summary>The Xen release modelled, and with it what differs between releases
    /// (<see cref="SimulatedXenRelease"/>): by default Debian 12's 4.17.</summary>
    public SimulatedXenRelease Release { get; init; } = SimulatedXenRelease.Xen417;

    /// <summary>The GIC interrupt id Xen raises this domain's upcall on: the PPI it wrote into
    /// the domain's hypervisor node (<see cref="SimulatedBoot.CreateModel"/> takes it from the
    /// tree). Null: what Xen gives on QEMU virt, 16 for dom0 (allocated at boot), 31 for a domU
    /// (GUEST_EVTCHN_PPI).</summary>
    public uint? UpcallIntId { get; init; }

    /// <summary>Guest-physical addresses at or above this are unreachable for the stub
    /// (BeginNormalAccess refuses them), to exercise the region-0 "unreachable" fallback.</summary>
    public ulong ReachableLimit { get; init; } = 1UL << 48;

    /// <summary>Dom0 and domU options as Xen on QEMU virt gives them (Debian 12's 4.17 unless
    /// <paramref name="release"/> says otherwise).</summary>
    public static SimulatedXenOptions ForDom0(IReadOnlyList<PhysicalRange> ram, uint maxGrantFrames = 64, SimulatedXenRelease? release = null) =>
        new() { Kind = SimulatedDomainKind.Dom0, DomainId = 0, Ram = ram, MaxGrantFrames = maxGrantFrames, Release = release ?? SimulatedXenRelease.Xen417 };

    public static SimulatedXenOptions ForDomU(IReadOnlyList<PhysicalRange> ram, ushort domainId = 1, uint maxGrantFrames = 64,
        SimulatedXenRelease? release = null) =>
        new()
        {
            Kind = SimulatedDomainKind.DomU, DomainId = domainId, Ram = ram, MaxGrantFrames = maxGrantFrames,
            Release = release ?? SimulatedXenRelease.Xen417,
        };

    /// <summary>These options with the upcall on <paramref name="intId"/>.</summary>
    public SimulatedXenOptions WithUpcallIntId(uint? intId) => new()
    {
        Kind = Kind, DomainId = DomainId, Ram = Ram, MaxGrantFrames = MaxGrantFrames, InitialGrantFrames = InitialGrantFrames,
        Release = Release, ReachableLimit = ReachableLimit, UpcallIntId = intId,
    };
}
