using System;

namespace GuestStub.Xen;

/// <summary>Each hypercall (with sub-command) the stub makes, named in failure reports.</summary>
public enum XenCall : byte
{
    None,
    XenVersion,
    GetFeatures,
    AddToPhysmapSharedInfo,
    AddToPhysmapGrantTable,
    RemoveFromPhysmap,
    DecreaseReservation,
    PopulatePhysmap,
    GnttabQuerySize,
    GnttabMapGrantRef,
    GnttabUnmapGrantRef,
    ConsoleWrite,
}

/// <summary>The Xen names of <see cref="XenCall"/> values.</summary>
public static class XenCallText
{
    public static ReadOnlySpan<byte> Name(XenCall call) => call switch
    {
        XenCall.XenVersion => "XENVER_version"u8,
        XenCall.GetFeatures => "XENVER_get_features"u8,
        XenCall.AddToPhysmapSharedInfo => "XENMEM_add_to_physmap(shared_info)"u8,
        XenCall.AddToPhysmapGrantTable => "XENMEM_add_to_physmap(grant_table)"u8,
        XenCall.RemoveFromPhysmap => "XENMEM_remove_from_physmap"u8,
        XenCall.DecreaseReservation => "XENMEM_decrease_reservation"u8,
        XenCall.PopulatePhysmap => "XENMEM_populate_physmap"u8,
        XenCall.GnttabQuerySize => "GNTTABOP_query_size"u8,
        XenCall.GnttabMapGrantRef => "GNTTABOP_map_grant_ref"u8,
        XenCall.GnttabUnmapGrantRef => "GNTTABOP_unmap_grant_ref"u8,
        XenCall.ConsoleWrite => "CONSOLEIO_write"u8,
        _ => "none"u8,
    };
}
