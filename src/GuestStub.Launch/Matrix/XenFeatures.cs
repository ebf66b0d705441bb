using System;
using System.Collections.Generic;
using System.Globalization;

namespace GuestStub.Launch.Matrix;

/// <summary>
/// The XENFEAT bits of XENVER_get_features' submap 0 (the guest's <c>report xen.features</c>),
/// by number and name, as xen/include/public/features.h defines them (bit 12,
/// grant_map_identity, is deprecated there; 18 and 19 are from Xen 4.18, 20 from 4.19).
/// </summary>
public static class XenFeatures
{
    private static readonly string[] Names =
    {
        "writable_page_tables",          // 0
        "writable_descriptor_tables",    // 1
        "auto_translated_physmap",       // 2
        "supervisor_mode_kernel",        // 3
        "pae_pgdir_above_4gb",           // 4
        "mmu_pt_update_preserve_ad",     // 5
        "highmem_assist",                // 6
        "gnttab_map_avail_bits",         // 7
        "hvm_callback_vector",           // 8
        "hvm_safe_pvclock",              // 9
        "hvm_pirqs",                     // 10
        "dom0",                          // 11
        "grant_map_identity",            // 12
        "memory_op_vnode_supported",     // 13
        "ARM_SMCCC_supported",           // 14
        "linux_rsdp_unrestricted",       // 15
        "not_direct_mapped",             // 16
        "direct_mapped",                 // 17
        "runstate_phys_area",            // 18
        "vcpu_time_phys_area",           // 19
        "dm_msix_all_writes",            // 20
    };

    /// <summary>Bit <paramref name="bit"/>'s name, <c>XENFEAT_...</c>; a bit features.h does
    /// not name (yet) is <c>bit N (unnamed)</c>.</summary>
    public static string Name(int bit) =>
        bit >= 0 && bit < Names.Length ? "XENFEAT_" + Names[bit] : $"bit {bit} (unnamed)";

    /// <summary>The bits set in <paramref name="submap"/>, lowest first.</summary>
    public static IReadOnlyList<int> Bits(uint submap)
    {
        var bits = new List<int>();
        for (int bit = 0; bit < 32; bit++)
            if ((submap & (1u << bit)) != 0)
                bits.Add(bit);
        return bits;
    }

    /// <summary>A <c>report xen.features</c> value (<c>0x26805</c>) as the submap; null when it
    /// is not a hex number of at most 32 bits.</summary>
    public static uint? Parse(string value) =>
        value.StartsWith("0x", StringComparison.Ordinal)
        && uint.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint submap)
            ? submap : null;
}
