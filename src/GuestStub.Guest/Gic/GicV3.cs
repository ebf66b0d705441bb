namespace GuestStub.Guest;

/// <summary>
/// GICv3 (Arm IHI 0069): the distributor, this vCPU's redistributor and the CPU interface as
/// system registers (native/gic.S), as Xen's vGICv3 presents them (dom0: the host's addresses;
/// a domU's at GUEST_GICV3_GICD_BASE 0x03001000 and GUEST_GICV3_GICR0_BASE 0x03020000). PPIs
/// are configured in the redistributor's SGI frame (Linux gic_cpu_init, gic_redist_wait_for_rwp).
/// </summary>
internal static class GicV3
{
    // Distributor (12.9).
    private const ulong GicdCtlr = 0x0000;
    private const uint GicdCtlrEnableGrp1Ns = 1u << 1;
    private const uint GicdCtlrAreNs = 1u << 4;
    private const uint GicdCtlrRwp = 1u << 31;

    // Redistributor (12.10, 12.11): RD_base frame, then the SGI_base frame 64 KiB above it.
    private const ulong GicrWaker = 0x0014;
    private const ulong GicrTyper = 0x0008;
    private const ulong FrameStride = 0x20000;
    private const ulong SgiBase = 0x10000;
    private const ulong GicrIsenabler0 = SgiBase + 0x0100;
    private const ulong GicrIcenabler0 = SgiBase + 0x0180;
    private const ulong GicrIpriorityr = SgiBase + 0x0400;
    private const uint WakerProcessorSleep = 1u << 1;
    private const uint WakerChildrenAsleep = 1u << 2;
    private const ulong TyperLast = 1UL << 4;
    private const uint IarInterruptIdMask = 0xFFFFFF;
    /// <summary>Redistributor frames looked at before giving up (a GICR region of 16 MiB holds 128).</summary>
    private const int MaxFrames = 128;
    private const int MaxPolls = 100_000;

    internal static bool Enable(ulong distributor, ulong redistributors, uint intId)
    {
        ulong rd = ThisCpusRedistributor(redistributors);
        if (rd == 0)
            return false;
        // Wake the redistributor (a no-op once awake), bounded.
        Mmio.Write32(rd + GicrWaker, Mmio.Read32(rd + GicrWaker) & ~WakerProcessorSleep);
        for (int polls = 0; polls < MaxPolls && (Mmio.Read32(rd + GicrWaker) & WakerChildrenAsleep) != 0; polls++)
        {
        }
        Gic.SetPriority(rd + GicrIpriorityr, intId);
        Mmio.Write32(rd + GicrIsenabler0, 1u << (int)intId);
        Mmio.Write32(distributor + GicdCtlr, Mmio.Read32(distributor + GicdCtlr) | GicdCtlrAreNs | GicdCtlrEnableGrp1Ns);
        for (int polls = 0; polls < MaxPolls && (Mmio.Read32(distributor + GicdCtlr) & GicdCtlrRwp) != 0; polls++)
        {
        }
        Native.GicV3EnableCpuInterface();
        return true;
    }

    internal static void Disable(ulong redistributors, uint intId)
    {
        ulong rd = ThisCpusRedistributor(redistributors);
        if (rd != 0)
            Mmio.Write32(rd + GicrIcenabler0, 1u << (int)intId);
        Native.GicV3DisableCpuInterface();
    }

    internal static uint Acknowledge() => (uint)Native.GicV3ReadIar1() & IarInterruptIdMask;

    internal static void EndOfInterrupt(uint intId) => Native.GicV3WriteEoir1(intId);

    /// <summary>The RD_base whose GICR_TYPER affinity is this vCPU's MPIDR affinity; 0 when
    /// none is found before the frame marked Last (or <see cref="MaxFrames"/>).</summary>
    private static ulong ThisCpusRedistributor(ulong redistributors)
    {
        ulong mpidr = Native.ReadMpidr();
        ulong affinity = ((mpidr >> 32) & 0xFF) << 24 | (mpidr & 0xFFFFFF);
        ulong frame = redistributors;
        for (int i = 0; i < MaxFrames; i++, frame += FrameStride)
        {
            ulong typer = Mmio.Read64(frame + GicrTyper);
            if (typer >> 32 == affinity)
                return frame;
            if ((typer & TyperLast) != 0)
                break;
        }
        return 0;
    }
}
