namespace GuestStub.Memory;

/// <summary>
/// The one page size of the stub: 4 KiB. It is the stub's translation granule (native/head.S
/// maps its image page by page), the unit of its RAM page allocator and scratch pages, and Xen's
/// page on Arm (XEN_PAGE_SHIFT 12, whatever the guest's own granule), which is why frame numbers
/// (gfn, mfn) are addresses shifted by <see cref="Shift"/> everywhere. The value comes from
/// <see cref="PlatformConstants.PageShift"/>, the definition shared with assembly and scripts.
/// </summary>
public static class PageSize
{
    public const int Shift = PlatformConstants.PageShift;
    public const ulong Bytes = 1UL << Shift;
    public const ulong OffsetMask = Bytes - 1;

    /// <summary>True when <paramref name="value"/> (an address or a size) is a whole number of pages.</summary>
    public static bool IsAligned(ulong value) => (value & OffsetMask) == 0;
}
