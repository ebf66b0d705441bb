using System;
using GuestStub.Text;

namespace GuestStub.ExtendedRegions;

/// <summary>The report tokens of registration: why a region was rejected, why there is no
/// target resource. One word each, no spaces.</summary>
public static class ExtendedRegionText
{
    /// <summary>The reason token of a rejected region.</summary>
    public static ReadOnlySpan<byte> Name(RegionRejection why)
    {
        ReadOnlySpan<byte> name = NameTable.Get(RejectionNames, (long)why);
        return name.IsEmpty ? "accepted"u8 : name;
    }

    // In RegionRejection's order (None = 0 first: not rejected).
    private static ReadOnlySpan<byte> RejectionNames =>
        "accepted\0"u8 + "zero-size\0"u8 + "end-overflow\0"u8 + "misaligned\0"u8 + "overlaps-grant-table\0"u8 +
        "overlaps-dtb\0"u8 + "overlaps-image\0"u8 + "overlaps-ram\0"u8 + "overlaps-reserved\0"u8;

    /// <summary>The reason token when there is no target resource.</summary>
    public static ReadOnlySpan<byte> Name(ExtendedRegionStatus status)
    {
        ReadOnlySpan<byte> name = NameTable.Get(StatusNames, (long)status);
        return name.IsEmpty ? "ok"u8 : name;
    }

    // In ExtendedRegionStatus's order (Ok = 0 first).
    private static ReadOnlySpan<byte> StatusNames =>
        "ok\0"u8 + "no-regions\0"u8 + "too-many-regions\0"u8 + "disorder\0"u8 + "overlap\0"u8 +
        "all-rejected\0"u8 + "outside-clamp\0"u8;
}
