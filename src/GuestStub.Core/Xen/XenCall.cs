using System;
using GuestStub.Text;

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
    SchedYield,
    SchedShutdown,
    EvtchnAllocUnbound,
    EvtchnBindInterdomain,
    EvtchnSend,
    EvtchnClose,
    EvtchnStatus,
    EvtchnUnmask,
    DomctlGetDomainInfo,
    AddToPhysmapBatchForeign,
    AcquireResourceGrantTable,
    DomctlGetDomainState,
}

/// <summary>The Xen names of <see cref="XenCall"/> values.</summary>
public static class XenCallText
{
    // In XenCall's order (None = 0 first).
    private static ReadOnlySpan<byte> Names =>
        "none\0"u8 +
        "XENVER_version\0"u8 +
        "XENVER_get_features\0"u8 +
        "XENMEM_add_to_physmap(shared_info)\0"u8 +
        "XENMEM_add_to_physmap(grant_table)\0"u8 +
        "XENMEM_remove_from_physmap\0"u8 +
        "XENMEM_decrease_reservation\0"u8 +
        "XENMEM_populate_physmap\0"u8 +
        "GNTTABOP_query_size\0"u8 +
        "GNTTABOP_map_grant_ref\0"u8 +
        "GNTTABOP_unmap_grant_ref\0"u8 +
        "CONSOLEIO_write\0"u8 +
        "SCHEDOP_yield\0"u8 +
        "SCHEDOP_shutdown\0"u8 +
        "EVTCHNOP_alloc_unbound\0"u8 +
        "EVTCHNOP_bind_interdomain\0"u8 +
        "EVTCHNOP_send\0"u8 +
        "EVTCHNOP_close\0"u8 +
        "EVTCHNOP_status\0"u8 +
        "EVTCHNOP_unmask\0"u8 +
        "XEN_DOMCTL_getdomaininfo\0"u8 +
        "XENMEM_add_to_physmap_batch(gmfn_foreign)\0"u8 +
        "XENMEM_acquire_resource(grant_table)\0"u8 +
        "XEN_DOMCTL_get_domain_state\0"u8;

    public static ReadOnlySpan<byte> Name(XenCall call)
    {
        ReadOnlySpan<byte> name = NameTable.Get(Names, (long)call);
        return name.IsEmpty ? "none"u8 : name;
    }
}
