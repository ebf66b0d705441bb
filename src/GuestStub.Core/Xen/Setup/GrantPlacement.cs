using System;
using GuestStub.Text;

namespace GuestStub.Xen.Setup;

/// <summary>Where the grant frames went.</summary>
public enum GrantMethod : byte
{
    None,
    /// <summary>At region 0 of the hypervisor node (Linux xen_dt_guest_init, GRANT_TABLE_INDEX 0).</summary>
    Region0,
    /// <summary>At RAM pages the stub gave back to Xen (Linux xen_xlate_map_ballooned_pages).</summary>
    Ballooned,
}

/// <summary>Why region 0 was not used (or that it was).</summary>
public enum Region0Verdict : byte
{
    Usable,
    /// <summary>The hypervisor node has no reg entry, or an empty one (Linux: "Xen grant table region is not found").</summary>
    Absent,
    /// <summary>gnttab=ballooned on the command line.</summary>
    Forced,
    /// <summary>Start or size not a multiple of 4 KiB.</summary>
    Misaligned,
    /// <summary>Smaller than the frames to map.</summary>
    TooSmall,
    /// <summary>Overlaps a RAM bank: mapping there would hide the guest's own memory.</summary>
    OverlapsRam,
    /// <summary>Overlaps a reserved range.</summary>
    OverlapsReserved,
    /// <summary>The stub cannot map it (outside its identity map).</summary>
    Unreachable,
    /// <summary>Its start + size passes 2^64: no such range, so no region 0 (Linux drops the entry).</summary>
    EndOverflow,
}

/// <summary>Report tokens (one word each, no spaces).</summary>
public static class GrantPlacementText
{
    // In GrantMethod's order (None = 0 first).
    private static ReadOnlySpan<byte> Methods => "none\0"u8 + "region0\0"u8 + "ballooned\0"u8;

    public static ReadOnlySpan<byte> Method(GrantMethod method)
    {
        ReadOnlySpan<byte> name = NameTable.Get(Methods, (long)method);
        return name.IsEmpty ? "none"u8 : name;
    }

    // In Region0Verdict's order (Usable = 0 first).
    private static ReadOnlySpan<byte> Verdicts =>
        "usable\0"u8 + "absent\0"u8 + "forced-off\0"u8 + "misaligned\0"u8 + "too-small\0"u8 +
        "overlaps-ram\0"u8 + "overlaps-reserved\0"u8 + "unreachable\0"u8 + "end-overflow\0"u8;

    public static ReadOnlySpan<byte> Verdict(Region0Verdict verdict)
    {
        ReadOnlySpan<byte> name = NameTable.Get(Verdicts, (long)verdict);
        return name.IsEmpty ? "unknown"u8 : name;
    }
}
