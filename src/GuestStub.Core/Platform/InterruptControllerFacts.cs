using GuestStub.DeviceTree;

namespace GuestStub.Platform;

/// <summary>Which Arm GIC architecture the interrupt controller implements, from its compatible.</summary>
public enum GicVersion : byte
{
    /// <summary>No controller found, or one the stub does not drive.</summary>
    None = 0,
    /// <summary>GICv2: distributor and a memory-mapped CPU interface
    /// ("arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic", "arm,cortex-a7-gic").</summary>
    V2,
    /// <summary>GICv3: distributor, redistributors, and the CPU interface as system registers ("arm,gic-v3").</summary>
    V3,
}

/// <summary>
/// The interrupt controller the event-channel upcall arrives at (Linux
/// Documentation/devicetree/bindings/interrupt-controller/arm,gic*.yaml): the hypervisor node's
/// interrupt parent, else the first GIC in the tree. Its first reg entry is the distributor;
/// the second the redistributor region (GICv3) or the CPU interface (GICv2), as Xen presents
/// them to dom0 (the host's addresses) and to domUs (GUEST_GICD_BASE 0x03001000 and
/// GUEST_GICV3_GICR0_BASE 0x03020000 or GUEST_GICC_BASE 0x03002000).
/// </summary>
public struct InterruptControllerFacts
{
    public GicVersion Version;
    public DtNode Node;
    public ulong DistributorBase;
    /// <summary>GICv3: the first redistributor region; GICv2: the CPU interface.</summary>
    public ulong SecondBase;
    public ulong SecondSize;

    public readonly bool Found => Version != GicVersion.None;
}
