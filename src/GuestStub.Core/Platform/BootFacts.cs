using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.Platform;

/// <summary>
/// Everything the boot sequence takes from the device tree, read once by <see cref="Read"/>:
/// RAM banks, reserved ranges, bootargs, console, the Xen hypervisor node and the PSCI conduit.
/// A ref struct because its strings are spans into the blob, which must outlive it; its tables
/// are fixed-capacity (<see cref="PhysicalRangeList.Capacity"/> entries), so reading allocates
/// nothing and a tree with more entries is refused with <see cref="DtbError.TooMany"/>.
/// </summary>
public ref partial struct BootFacts
{
    /// <summary>RAM banks: the reg entries of every available root child with
    /// device_type = "memory" (spec 3.4), in tree order; zero-sized entries are skipped.</summary>
    public PhysicalRangeList Memory;

    /// <summary>Ranges that must not be used, in this order: the memory reservation map
    /// (spec 5.3), the reg entries of available /reserved-memory children (nodes with only a
    /// size, for dynamic allocation, have none), the DTB itself, the stub image. Empty ranges
    /// are skipped. Ranges may overlap each other or lie outside <see cref="Memory"/>.</summary>
    public PhysicalRangeList Reserved;

    /// <summary>/chosen bootargs without its NUL.</summary>
    public bool HasBootargs;
    public ReadOnlySpan<byte> Bootargs;

    public ConsoleFacts Console;

    public HypervisorFacts Hypervisor;

    /// <summary>Static shared memory regions (/reserved-memory/xen-shmem@...).</summary>
    public SharedMemoryFacts SharedMemory;

    public PsciConduit Psci;

    /// <summary>The GIC the event-channel upcall arrives at.</summary>
    public InterruptControllerFacts InterruptController;
}
