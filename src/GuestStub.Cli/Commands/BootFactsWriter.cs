using System;
using System.IO;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Simulation;

namespace GuestStub.Cli.Commands;

/// <summary>Prints <see cref="BootFacts"/> as <c>//</c> comment lines, addresses, sizes and
/// half-open ranges ("0x40000000-0x80000000 (1 GiB)", end exclusive) written by Core's
/// formatting, so they read as the guest prints them.</summary>
public static class BootFactsWriter
{
    public static void Write(in Dtb tree, in BootFacts facts, TextWriter w)
    {
        w.Write("// boot facts\n");
        WriteRanges(w, "memory", facts.Memory);
        WriteRanges(w, "reserved", facts.Reserved);
        w.Write(facts.HasBootargs ? $"// bootargs: \"{Ascii(facts.Bootargs)}\"\n" : "// bootargs: none\n");

        ConsoleFacts console = facts.Console;
        if (!console.HasPath && !console.Found)
            w.Write("// console: none\n");
        else if (!console.Found)
            w.Write($"// console: {Ascii(console.Path)} (not found)\n");
        else
        {
            w.Write(console.HasPath
                ? $"// console: {Ascii(console.Path)} -> {PathOf(tree, console.Node)}"
                : $"// console: no stdout-path, first UART {PathOf(tree, console.Node)}");
            if (!console.Compatible.IsEmpty)
                w.Write($" \"{Ascii(console.Compatible)}\"");
            if (console.HasBaseAddress)
                w.Write($" at {HostText.Hex(console.BaseAddress)}");
            if (!console.Options.IsEmpty)
                w.Write($" options \"{Ascii(console.Options)}\"");
            w.Write('\n');
        }

        HypervisorFacts xen = facts.Hypervisor;
        if (!xen.Found)
            w.Write("// hypervisor: none\n");
        else
        {
            w.Write($"// hypervisor: {PathOf(tree, xen.Node)} version {(xen.Version.IsEmpty ? "unknown" : Ascii(xen.Version))}\n");
            if (xen.Regions.Count == 0)
                w.Write("//   no regions\n");
            for (int i = 0; i < xen.Regions.Count; i++)
            {
                w.Write($"//   region {i}{(i == 0 ? " (grant table)" : " (extended)")}: ");
                if (xen.Regions.TryGetRange(i, out PhysicalRange region))
                    w.Write($"{Range(region)}\n");
                else
                {
                    xen.Regions.Get(i, out ulong start, out ulong size);
                    w.Write($"0x{start:x}+0x{size:x} dropped: {HostText.Dtb(xen.RegionStatus(i))}\n");
                }
            }
            switch (xen.EventChannelInterruptStatus)
            {
                case EventChannelInterruptStatus.Resolved:
                    DtInterruptSpecifier irq = xen.EventChannelInterrupt;
                    w.Write($"//   event channel interrupt: {Cells(irq)}");
                    if (irq.TryGetGicIntId(out uint intId))
                        w.Write($" (GIC INTID {intId})");
                    w.Write('\n');
                    break;
                case EventChannelInterruptStatus.Unresolved:
                    DtbStatus why = xen.EventChannelInterruptError;
                    // The guest's words (DtbErrorText); GetInterrupts' NotFound, with interrupts
                    // present, means no interrupt-parent, which is worth saying.
                    string hint = why.Error == DtbError.NotFound ? " (no interrupt-parent on the node or above it)" : "";
                    w.Write($"//   event channel interrupt: unresolved: {HostText.Dtb(why)}{hint}; Xen setup goes on without the upcall\n");
                    break;
                default:
                    w.Write("//   event channel interrupt: none\n");
                    break;
            }
        }

        w.Write($"// psci: {facts.Psci switch { PsciConduit.Hvc => "hvc", PsciConduit.Smc => "smc", _ => "none" }}\n");

        InterruptControllerFacts gic = facts.InterruptController;
        if (!gic.Found)
            w.Write("// interrupt controller: none the stub drives\n");
        else
            w.Write($"// interrupt controller: {PathOf(tree, gic.Node)} GICv{(gic.Version == GicVersion.V3 ? 3 : 2)}, distributor {HostText.Hex(gic.DistributorBase)}, " +
                $"{(gic.Version == GicVersion.V3 ? "redistributors" : "CPU interface")} {HostText.Hex(gic.SecondBase)}\n");
    }

    private static void WriteRanges(TextWriter w, string what, in PhysicalRangeList list)
    {
        if (list.Count == 0)
            w.Write($"// {what}: none\n");
        for (int i = 0; i < list.Count; i++)
            w.Write($"// {what}: {Range(list[i])}\n");
    }

    private static string Range(PhysicalRange r) => $"{HostText.Range(r)} ({HostText.Size(r.SizeBytes)})";

    private static string Cells(DtInterruptSpecifier irq)
    {
        uint[] cells = { irq.Cell0, irq.Cell1, irq.Cell2, irq.Cell3 };
        var sb = new StringBuilder("<");
        for (int i = 0; i < irq.CellCount; i++)
            sb.Append(i == 0 ? "" : " ").Append(HostText.Hex(cells[i]));
        return sb.Append('>').ToString();
    }

    private static string Ascii(ReadOnlySpan<byte> text) => HostText.Ascii(text);

    /// <summary>The full path of a node, built from its ancestors (host-side convenience).</summary>
    public static string PathOf(in Dtb tree, DtNode node)
    {
        string path = "";
        DtNode current = node;
        while (tree.TryGetParent(current, out DtNode parent))
        {
            path = "/" + Ascii(tree.NameOf(current)) + path;
            current = parent;
        }
        return path.Length == 0 ? "/" : path;
    }
}
