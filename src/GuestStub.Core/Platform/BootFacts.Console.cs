using GuestStub.DeviceTree;

namespace GuestStub.Platform;

// Reading the console: the node stdout-path names, or without one the first UART of the tree.
public ref partial struct BootFacts
{
    /// <summary>Without stdout-path, the first "arm,pl011" or "arm,sbsa-uart" node in document
    /// order: a dom0less domU with <c>vpl011</c> gets an SBSA UART (GUEST_PL011_BASE 0x22000000)
    /// and no stdout-path from Xen 4.17 (arch/arm/domain_build.c make_vpl011_uart_node).</summary>
    private static DtbStatus ReadFirstUart(in Dtb tree, ref ConsoleFacts console)
    {
        DtNode pl011 = default, sbsa = default;
        bool hasPl011 = tree.TryFindCompatible("arm,pl011"u8, default, out pl011);
        bool hasSbsa = tree.TryFindCompatible("arm,sbsa-uart"u8, default, out sbsa);
        if (!hasPl011 && !hasSbsa)
            return DtbStatus.Ok;
        DtNode first = !hasSbsa || (hasPl011 && pl011.Offset < sbsa.Offset) ? pl011 : sbsa;
        return ReadConsoleNode(tree, first, ref console);
    }

    /// <summary>The console node: its first compatible and the address of its first reg entry.</summary>
    private static DtbStatus ReadConsoleNode(in Dtb tree, DtNode node, ref ConsoleFacts console)
    {
        console.Node = node;
        console.Found = true;
        tree.CompatibleOf(node).TryGetNext(out console.Compatible);
        if (!tree.TryGetParent(node, out DtNode parent))
            return DtbStatus.Ok;
        DtbStatus status = tree.GetReg(parent, node, out DtReg reg);
        if (status.Error == DtbError.NotFound)
            return DtbStatus.Ok;
        if (!status.IsOk)
            return status;
        if (reg.Count == 0)
            return DtbStatus.Ok;
        status = reg.Get(0, out console.BaseAddress, out _);
        console.HasBaseAddress = status.IsOk;
        return status;
    }
}
