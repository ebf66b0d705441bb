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

    public uint VersionMajor { get; init; } = 4;
    public uint VersionMinor { get; init; } = 17;

    /// <summary>Guest-physical addresses at or above this are unreachable for the stub
    /// (BeginNormalAccess refuses them), to exercise the region-0 "unreachable" fallback.</summary>
    public ulong ReachableLimit { get; init; } = 1UL << 48;

    /// <summary>Dom0 and domU options as Xen 4.17 on QEMU virt gives them (features seen there).</summary>
    public static SimulatedXenOptions ForDom0(IReadOnlyList<PhysicalRange> ram, uint maxGrantFrames = 64) =>
        new() { Kind = SimulatedDomainKind.Dom0, DomainId = 0, Ram = ram, MaxGrantFrames = maxGrantFrames };

    public static SimulatedXenOptions ForDomU(IReadOnlyList<PhysicalRange> ram, ushort domainId = 1, uint maxGrantFrames = 64) =>
        new() { Kind = SimulatedDomainKind.DomU, DomainId = domainId, Ram = ram, MaxGrantFrames = maxGrantFrames };
}
