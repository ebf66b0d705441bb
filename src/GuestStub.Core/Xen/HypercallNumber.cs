namespace GuestStub.Xen;

/// <summary>
/// Hypercall numbers and sub-commands (xen/include/public/xen.h, memory.h, grant_table.h,
/// version.h), as verified on Xen 4.17 in shared/PLATFORM.md.
/// </summary>
public static class HypercallNumber
{
    public const ulong MemoryOp = 12;
    public const ulong XenVersion = 17;
    public const ulong ConsoleIo = 18;
    public const ulong GrantTableOp = 20;
    public const ulong SchedOp = 29;
    public const ulong EventChannelOp = 32;
    public const ulong Domctl = 36;
}

/// <summary>XENMEM_* sub-commands of memory_op.</summary>
public static class XenMemoryOp
{
    public const ulong IncreaseReservation = 0;
    public const ulong DecreaseReservation = 1;
    public const ulong PopulatePhysmap = 6;
    public const ulong AddToPhysmap = 7;
    public const ulong RemoveFromPhysmap = 15;
    public const ulong AddToPhysmapBatch = 23;
    public const ulong AcquireResource = 28;
}

/// <summary>XENMAPSPACE_* values of xen_add_to_physmap.space.</summary>
public static class XenMapSpace
{
    public const uint SharedInfo = 0;
    public const uint GrantTable = 1;
    /// <summary>XENMAPSPACE_gmfn_foreign: a frame of another domain (privcmd's foreign map).</summary>
    public const uint GmfnForeign = 4;
}

/// <summary>GNTTABOP_* sub-commands of grant_table_op.</summary>
public static class GrantTableOp
{
    public const ulong MapGrantRef = 0;
    public const ulong UnmapGrantRef = 1;
    public const ulong SetupTable = 2;
    public const ulong QuerySize = 6;
    public const ulong SetVersion = 8;
}

/// <summary>XENVER_* sub-commands of xen_version.</summary>
public static class XenVersionOp
{
    /// <summary>Returns (major &lt;&lt; 16) | minor.</summary>
    public const ulong Version = 0;
    /// <summary>Fills a <see cref="Abi.XenFeatureInfo"/>.</summary>
    public const ulong GetFeatures = 6;
}

/// <summary>EVTCHNOP_* sub-commands of event_channel_op (event_channel.h).</summary>
public static class EventChannelCommand
{
    public const ulong BindInterdomain = 0;
    public const ulong Close = 3;
    public const ulong Send = 4;
    public const ulong Status = 5;
    public const ulong AllocUnbound = 6;
    public const ulong Unmask = 9;
}

/// <summary>SCHEDOP_* sub-commands of sched_op (sched.h).</summary>
public static class SchedOpCommand
{
    public const ulong Yield = 0;
    public const ulong Shutdown = 2;
}

/// <summary>SHUTDOWN_* reasons of struct sched_shutdown (sched.h).</summary>
public static class ShutdownReason
{
    public const uint PowerOff = 0;
}

/// <summary>CONSOLEIO_* sub-commands of console_io.</summary>
public static class ConsoleIoOp
{
    public const ulong Write = 0;
}

/// <summary>Special domain ids (xen.h).</summary>
public static class DomainId
{
    public const ushort Self = 0x7FF0;
}
