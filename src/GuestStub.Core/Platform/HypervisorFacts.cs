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

    /// <summary>The reg entries in node order, as read: index 0 is region 0, then extended
    /// regions. Kept as raw pairs: an entry whose end passes 2^64 is dropped by its consumer
    /// alone (region 0: the grant table goes to ballooned pages; an extended region: rejected
    /// as end-overflow), as Linux drops it, and the rest of the node still counts. (So is one
    /// ending exactly at 2^64, which Linux, with inclusive ends, keeps: the stub's exclusive
    /// ends cannot hold it.) Their
    /// ordering and overlap are not judged here; the extended-region stage does that.</summary>
    public AddressSizeList Regions;

    /// <summary>Where <c>reg</c>'s entries lie in the blob (the first's offset, then one entry's
    /// bytes), so a region dropped for its end can be named by its byte offset.</summary>
    public int RegOffset;
    public int RegEntryBytes;

    /// <summary>Region <paramref name="index"/> as a DTB fact: Ok, or AddressOverflow at its
    /// entry's byte offset when its exclusive end does not fit in 64 bits (the region is
    /// dropped; see <see cref="Regions"/>).</summary>
    public readonly DtbStatus RegionStatus(int index) => Regions.EndOverflows(index)
        ? DtbStatus.Fail(DtbError.AddressOverflow, RegOffset + index * RegEntryBytes)
        : DtbStatus.Ok;

    /// <summary>Whether <c>interrupts</c> was absent, resolved or unresolved. Unresolved is not
    /// an error of <see cref="BootFacts.Read"/>: the boot goes on without the upcall.</summary>
    public EventChannelInterruptStatus EventChannelInterruptStatus;

    /// <summary>For <see cref="EventChannelInterruptStatus.Unresolved"/>: why, and where in the
    /// blob (the errors of <see cref="Dtb.GetInterrupts"/>; BadValue for an empty value).</summary>
    public DtbStatus EventChannelInterruptError;

    /// <summary>The first specifier of <c>interrupts</c>, when resolved.</summary>
    public DtInterruptSpecifier EventChannelInterrupt;

    public readonly bool HasEventChannelInterrupt => EventChannelInterruptStatus == EventChannelInterruptStatus.Resolved;
}
