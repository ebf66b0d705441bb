using GuestStub.Xen.Abi;

namespace GuestStub.Xen;

/// <summary>
/// sched_op (xen/include/public/sched.h): giving the CPU away and shutting the domain down.
/// Linux's HYPERVISOR_sched_op(SCHEDOP_yield) and xen_reboot(SHUTDOWN_poweroff).
/// </summary>
public static unsafe class SchedOp
{
    /// <summary>SCHEDOP_yield: lets Xen run another vCPU (of this or another domain) now.</summary>
    public static XenFailure Yield<THc>(ref THc hc) where THc : struct, IXenHypercalls
    {
        long result = hc.Hypercall(HypercallNumber.SchedOp, SchedOpCommand.Yield, 0, 0, 0, 0);
        return result < 0 ? XenFailure.FromResult(XenCall.SchedYield, result) : XenFailure.None;
    }

    /// <summary>SCHEDOP_shutdown with SHUTDOWN_poweroff. Returns only if Xen refused: a dom0's
    /// shutdown halts the machine ("Hardware Dom0 halted"), a domU's ends the domain.</summary>
    public static XenFailure PowerOff<THc>(ref THc hc) where THc : struct, IXenHypercalls
    {
        SchedShutdown args = default;
        args.Reason = ShutdownReason.PowerOff;
        long result = hc.Hypercall(HypercallNumber.SchedOp, SchedOpCommand.Shutdown, (ulong)&args, 0, 0, 0);
        return result < 0 ? XenFailure.FromResult(XenCall.SchedShutdown, result) : XenFailure.None;
    }
}
