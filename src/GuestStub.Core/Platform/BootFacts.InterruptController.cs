using System;
using GuestStub.DeviceTree;

namespace GuestStub.Platform;

// Reading the interrupt controller: the one the event-channel upcall is wired to.
public ref partial struct BootFacts
{
    /// <summary>The hypervisor node's interrupt parent if it resolves, else the first GIC of the
    /// tree. A controller without two reg entries is left unknown (nothing to drive), not an error.</summary>
    private static DtbStatus ReadInterruptController(in Dtb tree, DtNode hypervisor, ref InterruptControllerFacts gic)
    {
        DtNode controller;
        if (!hypervisor.IsNone && tree.GetInterrupts(hypervisor, out DtInterrupts interrupts).IsOk &&
            GicVersionOf(tree, interrupts.Controller) != GicVersion.None)
            controller = interrupts.Controller;
        else if (!TryFindGic(tree, out controller))
            return DtbStatus.Ok;

        if (!tree.TryGetParent(controller, out DtNode parent))
            return DtbStatus.Ok;
        DtbStatus status = tree.GetReg(parent, controller, out DtReg reg);
        if (status.Error == DtbError.NotFound || (status.IsOk && reg.Count < 2))
            return DtbStatus.Ok;
        if (!status.IsOk)
            return status;
        status = reg.Get(0, out ulong distributor, out _);
        if (status.IsOk)
            status = reg.Get(1, out gic.SecondBase, out gic.SecondSize);
        if (!status.IsOk)
            return status;
        gic.DistributorBase = distributor;
        gic.Node = controller;
        gic.Version = GicVersionOf(tree, controller);
        return DtbStatus.Ok;
    }

    private static bool TryFindGic(in Dtb tree, out DtNode controller)
    {
        return tree.TryFindCompatible("arm,gic-v3"u8, default, out controller)
            || tree.TryFindCompatible("arm,cortex-a15-gic"u8, default, out controller)
            || tree.TryFindCompatible("arm,gic-400"u8, default, out controller)
            || tree.TryFindCompatible("arm,cortex-a9-gic"u8, default, out controller)
            || tree.TryFindCompatible("arm,cortex-a7-gic"u8, default, out controller);
    }

    private static GicVersion GicVersionOf(in Dtb tree, DtNode node)
    {
        if (tree.IsCompatible(node, "arm,gic-v3"u8))
            return GicVersion.V3;
        if (tree.IsCompatible(node, "arm,cortex-a15-gic"u8) || tree.IsCompatible(node, "arm,gic-400"u8) ||
            tree.IsCompatible(node, "arm,cortex-a9-gic"u8) || tree.IsCompatible(node, "arm,cortex-a7-gic"u8))
            return GicVersion.V2;
        return GicVersion.None;
    }
}
