namespace GuestStub.Guest;

/// <summary>
/// GICv2 (Arm IHI 0048B): the distributor and the memory-mapped CPU interface, as Xen's vGICv2
/// presents them (a domU's at GUEST_GICD_BASE 0x03001000 and GUEST_GICC_BASE 0x03002000). PPIs
/// are banked per CPU in the distributor's first enable and priority registers.
/// </summary>
internal static class GicV2
{
    // Distributor (4.3).
    private const ulong GicdCtlr = 0x000;
    private const ulong GicdIsenabler0 = 0x100;
    private const ulong GicdIcenabler0 = 0x180;
    private const ulong GicdIpriorityr = 0x400;
    private const uint GicdCtlrEnable = 1;

    // CPU interface (4.4).
    private const ulong GiccCtlr = 0x00;
    private const ulong GiccPmr = 0x04;
    private const ulong GiccIar = 0x0C;
    private const ulong GiccEoir = 0x10;
    private const uint GiccCtlrEnable = 1;
    private const uint IarInterruptIdMask = 0x3FF;

    internal static void Enable(ulong distributor, ulong cpuInterface, uint intId)
    {
        Gic.SetPriority(distributor + GicdIpriorityr, intId);
        Mmio.Write32(distributor + GicdIsenabler0, 1u << (int)intId);
        Mmio.Write32(distributor + GicdCtlr, Mmio.Read32(distributor + GicdCtlr) | GicdCtlrEnable);
        Mmio.Write32(cpuInterface + GiccPmr, Gic.PriorityMask);
        Mmio.Write32(cpuInterface + GiccCtlr, Mmio.Read32(cpuInterface + GiccCtlr) | GiccCtlrEnable);
    }

    internal static void Disable(ulong distributor, uint intId) =>
        Mmio.Write32(distributor + GicdIcenabler0, 1u << (int)intId);

    internal static uint Acknowledge(ulong cpuInterface) => Mmio.Read32(cpuInterface + GiccIar) & IarInterruptIdMask;

    internal static void EndOfInterrupt(ulong cpuInterface, uint intId) => Mmio.Write32(cpuInterface + GiccEoir, intId);
}
