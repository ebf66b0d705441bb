using GuestStub.Memory;

namespace GuestStub.ExtendedRegions;

/// <summary>The occupants of guest-physical space the tree does not hold: region 0, the pages
/// the stub has Xen map (shared_info, the grant frames), the DTB and the image. Empty ranges are
/// left out.</summary>
public struct BootOccupants
{
    public PhysicalRange GrantRegion;
    public PhysicalRange SharedInfo;
    public PhysicalRange GrantFrames;
    public PhysicalRange Dtb;
    public PhysicalRange Image;
}
