using GuestStub.Memory;

namespace GuestStub.ExtendedRegions;

/// <summary>
/// Guest-physical space already in use, which an extended region must not overlap. Xen 4.17
/// releases before the fixes could advertise regions overlapping real mappings, and the
/// xen-devel discussion behind extended regions (shared/seeds/002) is explicit that anything
/// overlapping the safe range must be refused. Fill it from <c>BootFacts</c>: Ram = Memory,
/// Reserved = Reserved (which already lists the DTB and image last; they are also given on
/// their own here so a rejection can name them).
/// </summary>
public struct OccupiedSpace
{
    public PhysicalRangeList Ram;
    public PhysicalRangeList Reserved;
    public PhysicalRange Dtb;
    public PhysicalRange Image;
}
