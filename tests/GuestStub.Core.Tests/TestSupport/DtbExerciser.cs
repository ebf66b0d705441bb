using System;
using GuestStub.Platform;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.Tests.TestSupport;

/// <summary>
/// Drives every public reader operation over a blob: open (validate), walk all nodes and
/// properties, decode names, strings, cells, reg, interrupts, paths back to each node, and
/// the boot facts. Uses only spans and structs, so the zero-allocation test can measure it;
/// the fuzzer runs it on mutated blobs. Returns a checksum so nothing is optimised away.
/// </summary>
public static class DtbExerciser
{
    public static long Run(ReadOnlySpan<byte> blob, bool deep = true)
    {
        DtbStatus status = Dtb.Open(blob, out Dtb tree);
        if (!status.IsOk)
            return (long)status.Error * 1_000_003 + status.Offset;

        long sum = tree.NodeCount;
        for (int i = 0; i < tree.ReservationCount; i++)
        {
            tree.TryGetReservation(i, out PhysicalRange r);
            sum += (long)r.Start;
        }

        DtNode node = tree.Root;
        int depth = 0;
        do
        {
            sum += tree.NameOf(node).Length + tree.BaseNameOf(node).Length;
            for (bool more = tree.TryGetFirstProperty(node, out DtProperty p); more; more = tree.TryGetNextProperty(p, out p))
            {
                ReadOnlySpan<byte> value = tree.PropertyValue(p);
                sum += tree.PropertyName(p).Length + value.Length;
                var list = new DtStringList(value);
                while (list.TryGetNext(out ReadOnlySpan<byte> s))
                    sum += s.Length;
                if (DtCells.TryReadU32(value, out uint u32))
                    sum += u32;
                if (DtCells.TryReadU64(value, out ulong u64))
                    sum += (long)u64;
                // Any string value may be a path or alias: resolving one must be safe.
                if (DtCells.TryGetString(value, out ReadOnlySpan<byte> text) && tree.TryFindNode(text, out DtNode target))
                    sum += target.Offset;
            }
            for (bool more = tree.TryGetFirstChild(node, out DtNode child); more; more = tree.TryGetNextSibling(child, out child))
            {
                sum += child.Offset;
                if (tree.TryGetChild(node, tree.BaseNameOf(child), out DtNode again))
                    sum += again.Offset;
                if (deep && tree.GetReg(node, child, out DtReg reg).IsOk)
                {
                    for (int i = 0; i < reg.Count; i++)
                    {
                        if (reg.GetRange(i, out PhysicalRange range).IsOk)
                            sum += (long)range.SizeBytes;
                    }
                }
            }
            if (deep && tree.GetInterrupts(node, out DtInterrupts irqs).IsOk)
            {
                for (int i = 0; i < irqs.Count; i++)
                {
                    if (irqs.TryGet(i, out DtInterruptSpecifier spec) && spec.TryGetGicIntId(out uint intId))
                        sum += intId;
                }
            }
        }
        while (tree.TryGetNextNode(node, ref depth, out node));

        sum += tree.TryFindCompatible("xen,xen"u8, default, out DtNode xen) ? xen.Offset : 0;
        sum += tree.TryFindNode("/chosen"u8, out DtNode chosen) ? chosen.Offset : 0;
        PhysicalRange.TryCreate(0x40000000, (ulong)tree.TotalSize, out PhysicalRange dtbRange);
        status = BootFacts.Read(tree, dtbRange, default, out BootFacts facts);
        sum += (long)status.Error + facts.Memory.Count + facts.Reserved.Count + facts.Hypervisor.Regions.Count + facts.Bootargs.Length;
        return sum;
    }
}
