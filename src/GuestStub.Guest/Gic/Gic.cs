using GuestStub.Platform;

namespace GuestStub.Guest;

/// <summary>
/// The interrupt controller the DT names (<see cref="InterruptControllerFacts"/>), chosen once
/// at boot by its compatible: <see cref="GicV2"/> or <see cref="GicV3"/>. This is the only place
/// that tells them apart. It is also the platform's <see cref="IInterruptController"/>: the
/// upcall's PPI enabled and disabled here, and <see cref="Idle"/> opening the IRQ window.
/// </summary>
internal struct Gic : IInterruptController
{
    /// <summary>The priority the stub gives its interrupt, and the mask that lets it through.</summary>
    internal const byte Priority = 0xA0;
    internal const uint PriorityMask = 0xF0;

    private static GicVersion s_version;
    private static ulong s_distributor;
    private static ulong s_second;

    internal static void Choose(in InterruptControllerFacts facts)
    {
        s_version = facts.Version;
        s_distributor = facts.DistributorBase;
        s_second = facts.SecondBase;
    }

    internal static GicVersion Version => s_version;

    public bool Enable(uint intId)
    {
        if (intId < 16 || intId >= 32)
            return false;
        switch (s_version)
        {
            case GicVersion.V2:
                GicV2.Enable(s_distributor, s_second, intId);
                return true;
            case GicVersion.V3:
                return GicV3.Enable(s_distributor, s_second, intId);
            default:
                return false;
        }
    }

    public void Disable(uint intId)
    {
        if (s_version == GicVersion.V2)
            GicV2.Disable(s_distributor, intId);
        else if (s_version == GicVersion.V3)
            GicV3.Disable(s_second, intId);
    }

    /// <summary>Takes a pending interrupt, then yields the CPU to Xen's other vCPUs.</summary>
    public void Idle()
    {
        Native.IrqWindow();
        var hypercalls = new GuestHypercalls();
        GuestStub.Xen.SchedOp.Yield(ref hypercalls);
    }

    /// <summary>The interrupt being taken (1020-1023: spurious, nothing to end).</summary>
    internal static uint Acknowledge() =>
        s_version == GicVersion.V2 ? GicV2.Acknowledge(s_second) : s_version == GicVersion.V3 ? GicV3.Acknowledge() : 1023;

    internal static void EndOfInterrupt(uint intId)
    {
        if (s_version == GicVersion.V2)
            GicV2.EndOfInterrupt(s_second, intId);
        else if (s_version == GicVersion.V3)
            GicV3.EndOfInterrupt(intId);
    }

    /// <summary>Sets an interrupt's priority in a bank of IPRIORITYR registers (one byte each,
    /// written as the word that holds it: Xen's vGIC takes both).</summary>
    internal static void SetPriority(ulong priorityRegisters, uint intId)
    {
        ulong word = priorityRegisters + (intId & ~3u);
        int shift = (int)(intId & 3) * 8;
        Mmio.Write32(word, (Mmio.Read32(word) & ~(0xFFu << shift)) | (uint)Priority << shift);
    }
}
