using System;
using GuestStub.DeviceTree;
using GuestStub.Platform;
using GuestStub.Memory;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>What the stub prints first: who it is, where it runs, and what the DTB told it.</summary>
internal static class Banner
{
    private const ulong SctlrMmu = 1 << 0;
    private const ulong SctlrDataCache = 1 << 2;
    private const ulong SctlrInstructionCache = 1 << 12;

    internal static void Print<TSink>(ref TSink c, ulong entryEl, PhysicalRange dtb, PhysicalRange image, in BootFacts facts)
        where TSink : struct, ITextSink
    {
        // The first line starts with "GuestStub ": boot tests and users look for it.
        c.Write("GuestStub "u8);
        c.Write(StubVersion.Text);
        c.Write(": bare-metal Xen-on-Arm64 guest in C#\n"u8);

        c.Write("  exception level: EL"u8);
        TextFormat.Decimal(ref c, Native.ReadCurrentEl());
        c.Write(" (entered at EL"u8);
        TextFormat.Decimal(ref c, entryEl);
        c.Write(")\n  DTB: "u8);
        TextFormat.Range(ref c, dtb);
        c.Write(" ("u8);
        TextFormat.Decimal(ref c, dtb.SizeBytes);
        c.Write(" bytes, "u8);
        TextFormat.Decimal(ref c, (ulong)facts.Memory.Count);
        c.Write(" memory banks)\n  image: "u8);
        TextFormat.Range(ref c, image);
        c.Write("\n  Xen: "u8);
        if (facts.Hypervisor.Found)
        {
            c.Write("detected (hypervisor node, xen,xen-"u8);
            c.Write(facts.Hypervisor.Version);
            c.Write(")\n"u8);
        }
        else
        {
            c.Write("not detected (no hypervisor node): running bare\n"u8);
        }
        GuestConsole.Describe(ref c);

        ulong sctlr = Native.ReadSctlr();
        c.Write("  MMU: "u8);
        c.Write((sctlr & SctlrMmu) != 0 ? "on"u8 : "off"u8);
        c.Write(", data cache "u8);
        c.Write((sctlr & SctlrDataCache) != 0 ? "on"u8 : "off"u8);
        c.Write(", instruction cache "u8);
        c.Write((sctlr & SctlrInstructionCache) != 0 ? "on"u8 : "off"u8);
        c.Write("\n"u8);

        PrintMemoryMap(ref c, facts);
    }

    private static void PrintMemoryMap<TSink>(ref TSink c, in BootFacts facts) where TSink : struct, ITextSink
    {
        for (int i = 0; i < facts.Memory.Count; i++)
            RangeLine(ref c, "  memory:   "u8, facts.Memory[i]);
        for (int i = 0; i < facts.Reserved.Count; i++)
            RangeLine(ref c, "  reserved: "u8, facts.Reserved[i]);
        if (!facts.Hypervisor.Found)
            return;
        for (int i = 0; i < facts.Hypervisor.Regions.Count; i++)
        {
            ReadOnlySpan<byte> label = i == 0 ? "  hypervisor region 0 (grant table): "u8 : "  hypervisor extended region: "u8;
            if (facts.Hypervisor.Regions.TryGetRange(i, out PhysicalRange region))
            {
                RangeLine(ref c, label, region);
                continue;
            }
            // Its end passes 2^64: the stages drop it (report grant.region0 / ext.rejected).
            facts.Hypervisor.Regions.Get(i, out ulong start, out ulong sizeBytes);
            c.Write(label);
            TextFormat.AddressSize(ref c, start, sizeBytes);
            c.Write(" (end past 2^64: dropped)\n"u8);
        }
        if (facts.Hypervisor.HasEventChannelInterrupt && facts.Hypervisor.EventChannelInterrupt.TryGetGicIntId(out uint intId))
        {
            c.Write("  hypervisor event channel: GIC interrupt "u8);
            TextFormat.Decimal(ref c, intId);
            c.Write("\n"u8);
        }
    }

    /// <summary>"LABEL0xSTART-0xEND (SIZE)" and a newline.</summary>
    private static void RangeLine<TSink>(ref TSink c, ReadOnlySpan<byte> label, PhysicalRange range) where TSink : struct, ITextSink
    {
        c.Write(label);
        TextFormat.Range(ref c, range);
        c.Write(" ("u8);
        TextFormat.Size(ref c, range.SizeBytes);
        c.Write(")\n"u8);
    }
}
