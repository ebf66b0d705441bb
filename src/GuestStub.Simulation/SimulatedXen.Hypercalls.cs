using System.Collections.Generic;
using System.Text;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// Hypercall dispatch, xen_version and console_io.
public sealed unsafe partial class SimulatedXen
{
    private const int Enosys = -(int)XenErrno.ENOSYS;
    private const int Einval = -(int)XenErrno.EINVAL;

    /// <summary>Features Xen 4.17 on QEMU virt reported (XENVER_get_features submap 0).</summary>
    public const uint Dom0Features = 0x26805;
    public const uint DomUFeatures = 0x16005;

    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        long result = op switch
        {
            HypercallNumber.XenVersion => OnXenVersion(a0, a1),
            HypercallNumber.ConsoleIo => OnConsoleIo(a0, a1, a2),
            HypercallNumber.MemoryOp => OnMemoryOp(a0, a1),
            HypercallNumber.GrantTableOp => OnGrantTableOp(a0, a1, a2),
            HypercallNumber.SchedOp => OnSchedOp(a0, a1),
            HypercallNumber.EventChannelOp => OnEventChannelOp(a0, a1),
            HypercallNumber.Domctl => OnDomctl(a0),
            _ => Record($"hypercall {op}", Enosys),
        };
        return result;
    }

    private long OnXenVersion(ulong cmd, ulong arg)
    {
        switch (cmd)
        {
            case XenVersionOp.Version:
                if (TryInjectedFault(XenCall.XenVersion, out long fault))
                    return Record("XENVER_version", fault);
                return Record("XENVER_version", (long)((_options.VersionMajor << 16) | _options.VersionMinor));
            case XenVersionOp.GetFeatures:
                if (TryInjectedFault(XenCall.GetFeatures, out fault))
                    return Record("XENVER_get_features", fault);
                var info = (XenFeatureInfo*)arg;
                info->Submap = info->SubmapIdx != 0 ? 0
                    : _options.Kind == SimulatedDomainKind.Dom0 ? Dom0Features : DomUFeatures;
                return Record($"XENVER_get_features({info->SubmapIdx})", 0);
            default:
                return Record($"xen_version({cmd})", Enosys);
        }
    }

    /// <summary>sched_op: yield does nothing a single modelled vCPU would notice; shutdown
    /// records the reason (<see cref="ShutdownReasonGiven"/>), as Xen ends the domain.</summary>
    private long OnSchedOp(ulong cmd, ulong arg)
    {
        switch (cmd)
        {
            case SchedOpCommand.Yield:
                if (TryInjectedFault(XenCall.SchedYield, out long fault))
                    return Record("SCHEDOP_yield", fault);
                Yields++;
                return 0; // not logged per call: a bounded wait yields thousands of times
            case SchedOpCommand.Shutdown:
                if (TryInjectedFault(XenCall.SchedShutdown, out fault))
                    return Record("SCHEDOP_shutdown", fault);
                var shutdown = (SchedShutdown*)arg;
                ShutdownReasonGiven = shutdown->Reason;
                return Record($"SCHEDOP_shutdown(reason {shutdown->Reason})", 0);
            default:
                return Record($"sched_op({cmd})", Enosys);
        }
    }

    /// <summary>SCHEDOP_yield calls so far.</summary>
    public long Yields { get; private set; }

    /// <summary>The reason of the domain's SCHEDOP_shutdown, once it asked (SHUTDOWN_poweroff is 0).</summary>
    public uint? ShutdownReasonGiven { get; private set; }

    private long OnConsoleIo(ulong cmd, ulong count, ulong buffer)
    {
        if (cmd != ConsoleIoOp.Write)
            return Einval;
        if (TryInjectedFault(XenCall.ConsoleWrite, out long fault))
            return fault;
        // Not logged per call: the console is captured whole.
        _console.Append(Encoding.ASCII.GetString((byte*)buffer, checked((int)count)));
        return (long)count;
    }

    private long Record(string call, long result)
    {
        Log($"{call} = {result}");
        return result;
    }
}
