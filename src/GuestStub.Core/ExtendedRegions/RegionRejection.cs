namespace GuestStub.ExtendedRegions;

/// <summary>
/// Why one extended region was left out of the target resource. A rejected region is dropped
/// on its own and the rest of the set is kept: the space it covered becomes part of a hole, so
/// no scratch page can land there. (Disorder or overlap between regions is different: that
/// rejects the whole set, see <see cref="ExtendedRegionStatus"/>.)
/// </summary>
public enum RegionRejection : byte
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>The region has size 0 (Xen never advertises one; a malformed tree).</summary>
    ZeroSize,

    /// <summary>Start + size passes 2^64 - 1: the region has no representable end.</summary>
    EndOverflow,

    /// <summary>Start or size is not a multiple of the 4 KiB page (Xen aligns to 2 MiB).</summary>
    Misaligned,

    /// <summary>Overlaps region 0, where the grant table is mapped.</summary>
    OverlapsGrantTable,

    /// <summary>Overlaps the device tree blob the stub was given.</summary>
    OverlapsDtb,

    /// <summary>Overlaps the stub's own image.</summary>
    OverlapsImage,

    /// <summary>Overlaps a RAM bank of the memory node(s).</summary>
    OverlapsRam,

    /// <summary>Overlaps the memory reservation map or a /reserved-memory child.</summary>
    OverlapsReserved,
}
