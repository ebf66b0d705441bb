using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.Platform;

/// <summary>
/// The Xen hypervisor node (Xen docs/misc/arm/device-tree/guest.txt): compatible
/// "xen,xen-X.Y", "xen,xen"; reg = region 0 (where the grant table may be mapped) then the
/// extended regions in ascending order, any of which may be absent; interrupts = the
/// event-channel upcall PPI.
/// </summary>
public ref struct HypervisorFacts
{
    public bool Found;
    public DtNode Node;

    /// <summary>The version from compatible "xen,xen-4.17" ("4.17"); empty when the node has
    /// only "xen,xen".</summary>
    public ReadOnlySpan<byte> Version;

    /// <summary>The reg entries in node order: index 0 is region 0, then extended regions.
    /// Their ordering and overlap are not judged here; the extended-region stage does that.</summary>
    public PhysicalRangeList Regions;

    public bool HasEventChannelInterrupt;
    public DtInterruptSpecifier EventChannelInterrupt;
}
