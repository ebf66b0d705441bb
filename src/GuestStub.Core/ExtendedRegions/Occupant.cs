using System;
using GuestStub.Text;

namespace GuestStub.ExtendedRegions;

/// <summary>
/// What holds a piece of guest-physical space, as the extended-region checks name it: what
/// Xen removes from the space it advertises (domain_build.c: find_memory_holes removes MMIO,
/// RAM, PCI apertures and static shared memory; find_unallocated_memory the reserved memory and
/// the grant table's region), and the pages the stub itself has Xen map.
/// </summary>
public enum Occupant : byte
{
    None = 0,
    /// <summary>A reg entry of a memory node (device_type = "memory").</summary>
    Ram,
    /// <summary>The memory reservation map, or a /reserved-memory child.</summary>
    Reserved,
    /// <summary>A /reserved-memory child compatible "xen,shared-memory-v1": static shared
    /// memory (xen,shared-mem), as Xen writes it into the domain's tree.</summary>
    StaticSharedMemory,
    /// <summary>Any other node's reg, translated through its parents' ranges.</summary>
    Device,
    /// <summary>The parent-side windows of a device_type = "pci" node's ranges.</summary>
    PciAperture,
    /// <summary>Region 0 of the hypervisor node.</summary>
    GrantTable,
    /// <summary>The page the stub has Xen map shared_info at.</summary>
    SharedInfo,
    /// <summary>The pages the stub has Xen map its grant frames at.</summary>
    GrantFrames,
    Dtb,
    Image,
    /// <summary>An extended region (only where free space is measured).</summary>
    ExtendedRegion,
}

/// <summary>The report tokens of <see cref="Occupant"/>.</summary>
public static class OccupantText
{
    public static ReadOnlySpan<byte> Name(Occupant occupant) => NameTable.Get(Names, (long)occupant);

    // In Occupant's order.
    private static ReadOnlySpan<byte> Names =>
        "none\0"u8 + "ram\0"u8 + "reserved\0"u8 + "static-shm\0"u8 + "device\0"u8 + "pci-aperture\0"u8 + "region-0\0"u8 +
        "shared-info\0"u8 + "grant-frames\0"u8 + "dtb\0"u8 + "image\0"u8 + "extended-region\0"u8;
}
