using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.ExtendedRegions;

/// <summary>
/// Every occupied piece of a domain's guest-physical space, as Xen's find_memory_holes
/// (xen/arch/arm/domain_build.c) removes it from the space it may advertise: the reg of every
/// node of the tree (RAM, /reserved-memory and its static shared memory, MMIO), translated to
/// the CPU's address space through each parent's <c>ranges</c> (empty: identity; absent: the
/// node is not memory mapped, e.g. /cpus children, and is left out; an address no entry covers
/// is left out, as Linux's of_translate_address gives OF_BAD_ADDR; numbers wider than 64 bits,
/// as a PCI child's phys.hi, are not translated), the parent side of the <c>ranges</c> of every
/// device_type = "pci" node (the host bridge apertures, handle_pci_range), the memory
/// reservation map, and <see cref="BootOccupants"/>. The hypervisor node's own reg (region 0
/// and the extended regions) is not an occupant here. Each piece is widened to whole pages,
/// as Xen's rangesets hold frames. No heap: the walk keeps the path of node offsets in a
/// fixed stack buffer.
/// </summary>
public static class GuestPhysicalSpace
{
    public static void Walk(scoped in Dtb tree, in BootOccupants boot, ref OccupantScan visitor)
    {
        Emit(ref visitor, boot.GrantRegion.Start, boot.GrantRegion.SizeBytes, Occupant.GrantTable, -1);
        Emit(ref visitor, boot.SharedInfo.Start, boot.SharedInfo.SizeBytes, Occupant.SharedInfo, -1);
        Emit(ref visitor, boot.GrantFrames.Start, boot.GrantFrames.SizeBytes, Occupant.GrantFrames, -1);
        Emit(ref visitor, boot.Dtb.Start, boot.Dtb.SizeBytes, Occupant.Dtb, -1);
        Emit(ref visitor, boot.Image.Start, boot.Image.SizeBytes, Occupant.Image, -1);
        for (int i = 0; i < tree.ReservationCount; i++)
            if (tree.TryGetReservation(i, out PhysicalRange reserved))
                Emit(ref visitor, reserved.Start, reserved.SizeBytes, Occupant.Reserved, -1);

        Span<int> path = stackalloc int[FdtLayout.MaxDepth + 1];
        DtNode node = tree.Root;
        int depth = 0;
        path[0] = node.Offset;
        while (tree.TryGetNextNode(node, ref depth, out node) && depth > 0 && depth <= FdtLayout.MaxDepth)
        {
            path[depth] = node.Offset;
            var parent = new DtNode(path[depth - 1]);
            Occupant what = Classify(tree, parent, node, depth);
            // reg: (address, size) in the parent's cells.
            if (what != Occupant.None && tree.TryGetValue(node, "reg"u8, out ReadOnlySpan<byte> reg) &&
                tree.GetAddressCells(parent, out int na).IsOk && tree.GetSizeCells(parent, out int ns).IsOk)
                Entries(tree, path, depth - 1, reg, 0, na, ns, what, ref visitor);
            // Xen's handle_pci_range: a PCI host bridge's ranges, (child address, parent address,
            // size), "the PCI host bridge aperture", on the parent's side.
            if (tree.TryGetValue(node, "device_type"u8, out ReadOnlySpan<byte> type) && type.SequenceEqual("pci\0"u8) &&
                tree.TryGetValue(node, "ranges"u8, out ReadOnlySpan<byte> ranges) && tree.GetAddressCells(node, out int childCells).IsOk &&
                tree.GetAddressCells(parent, out int parentCells).IsOk && tree.GetSizeCells(node, out int sizeCells).IsOk)
                Entries(tree, path, depth - 1, ranges, childCells, parentCells, sizeCells, Occupant.PciAperture, ref visitor);
        }
    }

    /// <summary>Each entry of <paramref name="value"/>: <paramref name="skip"/> cells left out,
    /// then an address of the bus at <paramref name="busDepth"/> (<paramref name="addressCells"/>)
    /// and a size (<paramref name="sizeCells"/>), told to the visitor translated to CPU addresses.</summary>
    private static void Entries(scoped in Dtb tree, ReadOnlySpan<int> path, int busDepth, ReadOnlySpan<byte> value, int skip, int addressCells,
        int sizeCells, Occupant what, ref OccupantScan visitor)
    {
        int cells = skip + addressCells + sizeCells;
        for (int first = 0; cells > 0 && (first + cells) * DtCells.CellSize <= value.Length; first += cells)
        {
            if (DtCells.TryReadNumber(value, first + skip, addressCells, out ulong address) &&
                DtCells.TryReadNumber(value, first + skip + addressCells, sizeCells, out ulong size) && Translate(tree, path, busDepth, ref address))
                Emit(ref visitor, address, size, what, path[busDepth + 1]);
        }
    }

    private static Occupant Classify(scoped in Dtb tree, DtNode parent, DtNode node, int depth)
    {
        if (tree.IsCompatible(node, "xen,xen"u8))
            return Occupant.None;
        if (depth == 1 && tree.TryGetValue(node, "device_type"u8, out ReadOnlySpan<byte> type) && type.SequenceEqual("memory\0"u8))
            return Occupant.Ram;
        if (depth == 2 && tree.NameOf(parent).SequenceEqual("reserved-memory"u8))
            return tree.IsCompatible(node, "xen,shared-memory-v1"u8) ? Occupant.StaticSharedMemory : Occupant.Reserved;
        return Occupant.Device;
    }

    /// <summary>An address of the bus at <paramref name="busDepth"/> of <paramref name="path"/>,
    /// translated up to the root's (CPU) address space through each bus's <c>ranges</c>.</summary>
    private static bool Translate(scoped in Dtb tree, ReadOnlySpan<int> path, int busDepth, ref ulong address)
    {
        for (int d = busDepth; d > 0; d--)
        {
            var bus = new DtNode(path[d]);
            if (!tree.TryGetValue(bus, "ranges"u8, out ReadOnlySpan<byte> ranges))
                return false;
            if (ranges.IsEmpty)
                continue;
            if (!tree.GetAddressCells(bus, out int na).IsOk || !tree.GetSizeCells(bus, out int ns).IsOk ||
                !tree.GetAddressCells(new DtNode(path[d - 1]), out int pna).IsOk)
                return false;
            int cells = na + pna + ns;
            bool found = false;
            for (int first = 0; !found && (first + cells) * DtCells.CellSize <= ranges.Length; first += cells)
            {
                if (DtCells.TryReadNumber(ranges, first, na, out ulong child) && DtCells.TryReadNumber(ranges, first + na, pna, out ulong parent) &&
                    DtCells.TryReadNumber(ranges, first + na + pna, ns, out ulong size) && address - child < size)
                {
                    address = parent + (address - child);
                    found = true;
                }
            }
            if (!found)
                return false;
        }
        return true;
    }

    /// <summary>[address, address + size) widened to whole pages; an end past 2^64 is cut at the
    /// last page.</summary>
    private static void Emit(ref OccupantScan visitor, ulong address, ulong size, Occupant what, int node)
    {
        if (size == 0)
            return;
        ulong last = address + (size - 1);
        if (last < address)
            last = ulong.MaxValue;
        ulong end = last >= ~PageSize.OffsetMask ? ~PageSize.OffsetMask : (last | PageSize.OffsetMask) + 1;
        if (PhysicalRange.TryFromBounds(address & ~PageSize.OffsetMask, end, out PhysicalRange pages) && !pages.IsEmpty)
            visitor.Occupied(pages, what, node);
    }
}
