using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// <c>BootFacts</c> as canonical text, one fact per line, in the order of the struct:
/// <code>
/// memory 0x40000000-0x80000000          one line per bank
/// reserved 0x48000000-0x48100000        one line per range
/// bootargs console=hvc0                 only when /chosen has bootargs
/// console none | console.path P, console.options O (if any), then console.node NAME,
///   console.compatible C (if any), console.base 0xB (if any), or console.node not-found
/// hypervisor none | hypervisor.node NAME, hypervisor.version V|none, hypervisor.region R per
///   region, hypervisor.evtchn C0 C1 ... (the specifier's cells) and hypervisor.evtchn.intid N
///   (when it is a GIC PPI or SPI)
/// psci none|hvc|smc
/// </code>
/// </summary>
public static class BootFactsText
{
    public static void Write<TSink>(ref TSink sink, scoped in Dtb tree, scoped in BootFacts facts) where TSink : struct, ITextSink
    {
        for (int i = 0; i < facts.Memory.Count; i++)
            RangeLine(ref sink, "memory "u8, facts.Memory[i]);
        for (int i = 0; i < facts.Reserved.Count; i++)
            RangeLine(ref sink, "reserved "u8, facts.Reserved[i]);
        if (facts.HasBootargs)
            Line(ref sink, "bootargs "u8, facts.Bootargs);

        if (!facts.Console.HasPath)
        {
            sink.Write("console none\n"u8);
        }
        else
        {
            Line(ref sink, "console.path "u8, facts.Console.Path);
            if (!facts.Console.Options.IsEmpty)
                Line(ref sink, "console.options "u8, facts.Console.Options);
            if (!facts.Console.Found)
            {
                sink.Write("console.node not-found\n"u8);
            }
            else
            {
                Line(ref sink, "console.node "u8, tree.NameOf(facts.Console.Node));
                if (!facts.Console.Compatible.IsEmpty)
                    Line(ref sink, "console.compatible "u8, facts.Console.Compatible);
                if (facts.Console.HasBaseAddress)
                {
                    sink.Write("console.base "u8);
                    TextFormat.Hex(ref sink, facts.Console.BaseAddress);
                    sink.Write("\n"u8);
                }
            }
        }

        if (!facts.Hypervisor.Found)
        {
            sink.Write("hypervisor none\n"u8);
        }
        else
        {
            Line(ref sink, "hypervisor.node "u8, tree.NameOf(facts.Hypervisor.Node));
            Line(ref sink, "hypervisor.version "u8, facts.Hypervisor.Version.IsEmpty ? "none"u8 : facts.Hypervisor.Version);
            for (int i = 0; i < facts.Hypervisor.Regions.Count; i++)
            {
                // As read: a pair whose end passes 2^64 has no range and is shown as "START+SIZE",
                // dropped, with its cause and byte offset.
                facts.Hypervisor.Regions.Get(i, out ulong start, out ulong size);
                sink.Write("hypervisor.region "u8);
                TextFormat.AddressSize(ref sink, start, size);
                DtbStatus region = facts.Hypervisor.RegionStatus(i);
                if (!region.IsOk)
                {
                    sink.Write(" dropped: "u8);
                    DtbErrorText.Write(ref sink, region);
                }
                sink.Write("\n"u8);
            }
            if (facts.Hypervisor.HasEventChannelInterrupt)
            {
                DtInterruptSpecifier irq = facts.Hypervisor.EventChannelInterrupt;
                sink.Write("hypervisor.evtchn"u8);
                for (int c = 0; c < irq.CellCount; c++)
                {
                    sink.Write(" "u8);
                    TextFormat.Hex(ref sink, c == 0 ? irq.Cell0 : c == 1 ? irq.Cell1 : c == 2 ? irq.Cell2 : irq.Cell3);
                }
                sink.Write("\n"u8);
                if (irq.TryGetGicIntId(out uint intId))
                {
                    sink.Write("hypervisor.evtchn.intid "u8);
                    TextFormat.Decimal(ref sink, intId);
                    sink.Write("\n"u8);
                }
            }
            else if (facts.Hypervisor.EventChannelInterruptStatus == EventChannelInterruptStatus.Unresolved)
            {
                // The boot goes on without the upcall: the cause and offset are facts too.
                sink.Write("hypervisor.evtchn unresolved "u8);
                DtbErrorText.Write(ref sink, facts.Hypervisor.EventChannelInterruptError);
                sink.Write("\n"u8);
            }
        }

        sink.Write("psci "u8);
        sink.Write(facts.Psci == PsciConduit.Hvc ? "hvc"u8 : facts.Psci == PsciConduit.Smc ? "smc"u8 : "none"u8);
        sink.Write("\n"u8);
    }

    private static void Line<TSink>(ref TSink sink, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) where TSink : struct, ITextSink
    {
        sink.Write(key);
        sink.Write(value);
        sink.Write("\n"u8);
    }

    private static void RangeLine<TSink>(ref TSink sink, ReadOnlySpan<byte> key, PhysicalRange range) where TSink : struct, ITextSink
    {
        sink.Write(key);
        TextFormat.Range(ref sink, range);
        sink.Write("\n"u8);
    }
}
