using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.Platform;

// Reading the boot facts from a validated tree.
public ref partial struct BootFacts
{
    /// <summary>
    /// Reads the boot facts of <paramref name="tree"/>. <paramref name="dtbRange"/> is where the
    /// blob lies in physical memory and <paramref name="stubImage"/> where the stub was loaded;
    /// both become reserved ranges (pass an empty range to leave one out).
    /// Errors: those of <see cref="Dtb.GetReg(DtNode, DtNode, out DtReg)"/> and
    /// <see cref="DtReg.GetRange"/> for the nodes read (for the hypervisor node only
    /// <see cref="DtReg.Get"/>'s: its regions are kept raw, see <see cref="HypervisorFacts.Regions"/>);
    /// TooMany when a table is full; BadValue for a bootargs, stdout-path or PSCI method that is
    /// not a NUL-terminated string or a method other than "hvc"/"smc". Absent nodes are not
    /// errors: the matching facts are left empty. Neither is a hypervisor interrupt that cannot
    /// be resolved: see <see cref="HypervisorFacts.EventChannelInterruptStatus"/>.
    /// </summary>
    public static DtbStatus Read(scoped in Dtb tree, PhysicalRange dtbRange, PhysicalRange stubImage, out BootFacts facts)
    {
        facts = default;
        DtbStatus status = ReadMemory(tree, ref facts.Memory);
        if (status.IsOk)
            status = ReadReserved(tree, dtbRange, stubImage, ref facts.Reserved);
        if (status.IsOk)
            SharedMemoryFacts.Read(tree, ref facts.SharedMemory);
        if (status.IsOk)
            status = ReadChosen(tree, ref facts);
        if (status.IsOk && !facts.Console.HasPath)
            status = ReadFirstUart(tree, ref facts.Console);
        if (status.IsOk)
            status = ReadHypervisor(tree, ref facts.Hypervisor);
        if (status.IsOk)
            status = ReadPsci(tree, out facts.Psci);
        if (status.IsOk)
            status = ReadInterruptController(tree, facts.Hypervisor.Found ? facts.Hypervisor.Node : default, ref facts.InterruptController);
        return status;
    }

    private static DtbStatus ReadMemory(in Dtb tree, ref PhysicalRangeList memory)
    {
        DtNode root = tree.Root;
        bool more = tree.TryGetFirstChild(root, out DtNode node);
        for (; more; more = tree.TryGetNextSibling(node, out node))
        {
            if (!tree.TryGetValue(node, "device_type"u8, out ReadOnlySpan<byte> type) ||
                !type.SequenceEqual("memory\0"u8) || !tree.IsAvailable(node))
                continue;
            DtbStatus status = AddReg(tree, root, node, ref memory);
            if (!status.IsOk && status.Error != DtbError.NotFound)
                return status;
        }
        return DtbStatus.Ok;
    }

    private static DtbStatus ReadReserved(in Dtb tree, PhysicalRange dtbRange, PhysicalRange stubImage,
        ref PhysicalRangeList reserved)
    {
        for (int i = 0; i < tree.ReservationCount; i++)
        {
            tree.TryGetReservation(i, out PhysicalRange range);
            if (!Add(ref reserved, range))
                return DtbStatus.Fail(DtbError.TooMany, tree.Layout.ReservationMapStart + i * FdtLayout.ReservationEntrySize);
        }

        // Spec 3.5: /reserved-memory children use the cells of /reserved-memory itself.
        if (tree.TryGetChild(tree.Root, "reserved-memory"u8, out DtNode parent))
        {
            bool more = tree.TryGetFirstChild(parent, out DtNode node);
            for (; more; more = tree.TryGetNextSibling(node, out node))
            {
                if (!tree.IsAvailable(node))
                    continue;
                DtbStatus status = AddReg(tree, parent, node, ref reserved);
                if (!status.IsOk && status.Error != DtbError.NotFound)
                    return status;
            }
        }

        if (!Add(ref reserved, dtbRange) || !Add(ref reserved, stubImage))
            return DtbStatus.Fail(DtbError.TooMany, 0);
        return DtbStatus.Ok;
    }

    private static DtbStatus ReadChosen(in Dtb tree, ref BootFacts facts)
    {
        if (!tree.TryGetChosen(out DtNode chosen))
            return DtbStatus.Ok;

        if (tree.TryGetProperty(chosen, "bootargs"u8, out DtProperty bootargs))
        {
            if (!DtCells.TryGetString(tree.PropertyValue(bootargs), out facts.Bootargs))
                return DtbStatus.Fail(DtbError.BadValue, bootargs.ValueOffset);
            facts.HasBootargs = true;
        }

        if (!tree.TryGetProperty(chosen, "stdout-path"u8, out DtProperty stdout) &&
            !tree.TryGetProperty(chosen, "linux,stdout-path"u8, out stdout))
            return DtbStatus.Ok;
        if (!DtCells.TryGetString(tree.PropertyValue(stdout), out ReadOnlySpan<byte> text))
            return DtbStatus.Fail(DtbError.BadValue, stdout.ValueOffset);
        ref ConsoleFacts console = ref facts.Console;
        console.HasPath = true;
        int colon = text.IndexOf((byte)':');
        console.Path = colon < 0 ? text : text.Slice(0, colon);
        console.Options = colon < 0 ? default : text.Slice(colon + 1);
        if (!tree.TryFindNode(console.Path, out DtNode node))
            return DtbStatus.Ok;
        return ReadConsoleNode(tree, node, ref console);
    }

    /// <summary>Linux (xen_dt_guest_init) finds the node by compatible "xen,xen"; so does this.</summary>
    private static DtbStatus ReadHypervisor(in Dtb tree, ref HypervisorFacts hypervisor)
    {
        if (!tree.TryFindCompatible("xen,xen"u8, default, out hypervisor.Node))
            return DtbStatus.Ok;
        hypervisor.Found = true;

        DtStringList compatible = tree.CompatibleOf(hypervisor.Node);
        ReadOnlySpan<byte> prefix = "xen,xen-"u8;
        while (compatible.TryGetNext(out ReadOnlySpan<byte> entry))
        {
            if (entry.Length > prefix.Length && entry.Slice(0, prefix.Length).SequenceEqual(prefix))
            {
                hypervisor.Version = entry.Slice(prefix.Length);
                break;
            }
        }

        if (tree.TryGetParent(hypervisor.Node, out DtNode parent))
        {
            DtbStatus status = tree.GetReg(parent, hypervisor.Node, out DtReg reg);
            if (!status.IsOk && status.Error != DtbError.NotFound)
                return status;
            if (status.IsOk)
            {
                hypervisor.RegOffset = reg.EntryOffset(0);
                hypervisor.RegEntryBytes = reg.EntryOffset(1) - hypervisor.RegOffset;
            }
            for (int i = 0; status.IsOk && i < reg.Count; i++)
            {
                // Raw pairs: an end past 2^64 is judged by the region's consumer, not here.
                status = reg.Get(i, out ulong address, out ulong sizeBytes);
                if (!status.IsOk)
                    return status;
                if (!hypervisor.Regions.TryAdd(address, sizeBytes))
                    return DtbStatus.Fail(DtbError.TooMany, hypervisor.Node.Offset);
            }
        }

        ReadEventChannelInterrupt(tree, ref hypervisor);
        return DtbStatus.Ok;
    }

    /// <summary>Linux xen_dt_guest_init: irq_of_parse_and_map(node, 0). An interrupt that
    /// cannot be resolved is recorded as such (with the cause) rather than failing the read.</summary>
    private static void ReadEventChannelInterrupt(in Dtb tree, ref HypervisorFacts hypervisor)
    {
        if (!tree.TryGetProperty(hypervisor.Node, "interrupts"u8, out DtProperty property))
            return;
        DtbStatus status = tree.GetInterrupts(hypervisor.Node, out DtInterrupts interrupts);
        if (status.IsOk && !interrupts.TryGet(0, out hypervisor.EventChannelInterrupt))
            status = DtbStatus.Fail(DtbError.BadValue, property.ValueOffset);    // empty: no specifier
        hypervisor.EventChannelInterruptStatus = status.IsOk
            ? EventChannelInterruptStatus.Resolved : EventChannelInterruptStatus.Unresolved;
        hypervisor.EventChannelInterruptError = status;
    }

    private static DtbStatus ReadPsci(in Dtb tree, out PsciConduit conduit)
    {
        conduit = PsciConduit.None;
        if (!tree.TryGetChild(tree.Root, "psci"u8, out DtNode psci) ||
            !tree.TryGetProperty(psci, "method"u8, out DtProperty method))
            return DtbStatus.Ok;
        ReadOnlySpan<byte> value = tree.PropertyValue(method);
        if (value.SequenceEqual("hvc\0"u8))
            conduit = PsciConduit.Hvc;
        else if (value.SequenceEqual("smc\0"u8))
            conduit = PsciConduit.Smc;
        else
            return DtbStatus.Fail(DtbError.BadValue, method.ValueOffset);
        return DtbStatus.Ok;
    }

    /// <summary>Appends every reg entry of <paramref name="node"/>; zero-sized entries are skipped.</summary>
    private static DtbStatus AddReg(in Dtb tree, DtNode parent, DtNode node, ref PhysicalRangeList list)
    {
        DtbStatus status = tree.GetReg(parent, node, out DtReg reg);
        if (!status.IsOk)
            return status;
        for (int i = 0; i < reg.Count; i++)
        {
            status = reg.GetRange(i, out PhysicalRange range);
            if (!status.IsOk)
                return status;
            if (range.IsEmpty)
                continue;
            if (!list.TryAdd(range))
                return DtbStatus.Fail(DtbError.TooMany, node.Offset);
        }
        return DtbStatus.Ok;
    }

    private static bool Add(ref PhysicalRangeList list, PhysicalRange range) => range.IsEmpty || list.TryAdd(range);
}
