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

    /// <summary>XENFEAT_runstate_phys_area, given to every domain from Xen 4.18.</summary>
    public const uint RunstatePhysAreaFeature = 1u << 18;

    /// <summary>What XENVER_get_features gives this domain in submap 0 (common/kernel.c).</summary>
    public uint Features => (_options.Kind == SimulatedDomainKind.Dom0 ? Dom0Features : DomUFeatures) |
        (_options.Release.HasRunstatePhysArea ? RunstatePhysAreaFeature : 0);

    /// <summary>One hypercall of this domain, under the machine's lock (Xen's own locks, here
    /// one for the whole machine). A domain the machine has stopped (dom0 powered it off) gets no
    /// answer: <see cref="SimulatedMachineStoppedException"/>.</summary>
    public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        lock (SyncRoot)
        {
            Clock.ThrowIfStopped(this);
            _grantStatus = GrantStatus.Okay;
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
            if (result >= 0 && _grantStatus == GrantStatus.Okay && !IsQuery(op, a0))
                Clock.NoteActivity();
            return result;
        }
    }

    /// <summary>The grant-table operation's GNTST_ status (a failed map changes nothing).</summary>
    private short _grantStatus;

    /// <summary>Calls that only look, or only give the CPU away: a domain polling with them while
    /// it waits changes nothing another domain could be waiting for.</summary>
    private static bool IsQuery(ulong op, ulong cmd) => op switch
    {
        HypercallNumber.XenVersion or HypercallNumber.ConsoleIo or HypercallNumber.Domctl => true,
        HypercallNumber.SchedOp => cmd == SchedOpCommand.Yield,
        HypercallNumber.EventChannelOp => cmd == EventChannelCommand.Status,
        HypercallNumber.GrantTableOp => cmd == Xen.GrantTableOp.QuerySize,
        _ => false,
    };

    private long OnXenVersion(ulong cmd, ulong arg)
    {
        switch (cmd)
        {
            case XenVersionOp.Version:
                if (TryInjectedFault(XenCall.XenVersion, out long fault))
                    return Record("XENVER_version", fault);
                return Record("XENVER_version", (long)((_options.Release.Major << 16) | _options.Release.Minor));
            case XenVersionOp.GetFeatures:
                if (TryInjectedFault(XenCall.GetFeatures, out fault))
                    return Record("XENVER_get_features", fault);
                var info = (XenFeatureInfo*)arg;
                info->Submap = info->SubmapIdx != 0 ? 0 : Features;
                return Record($"XENVER_get_features({info->SubmapIdx})", 0);
            default:
                return Record($"xen_version({cmd})", Enosys);
        }
    }

    /// <summary>sched_op: yield is counted (the waiting itself is <see cref="MachineClock.Idle"/>'s);
    /// shutdown ends the domain (<see cref="Shutdown"/>).</summary>
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
                long result = Record($"SCHEDOP_shutdown(reason {shutdown->Reason})", 0);
                Shutdown(shutdown->Reason);
                return result;
            default:
                return Record($"sched_op({cmd})", Enosys);
        }
    }

    /// <summary>SCHEDOP_yield calls so far.</summary>
    public long Yields { get; private set; }

    /// <summary>PSCI SYSTEM_OFF, the guest's fallback when SCHEDOP_shutdown fails (or when it
    /// found no hypervisor node): Xen's vPSCI (do_psci_0_2_system_off) shuts the domain down
    /// with SHUTDOWN_poweroff all the same.</summary>
    public void PsciSystemOff()
    {
        lock (SyncRoot)
        {
            Clock.ThrowIfStopped(this);
            Log("PSCI SYSTEM_OFF");
            Shutdown(GuestStub.Xen.ShutdownReason.PowerOff);
        }
    }

    /// <summary>Xen domain_shutdown: the reason is recorded (getdomaininfo reports it); the
    /// hardware domain's shutdown halts the whole machine (hwdom_shutdown), so every other
    /// domain still running stops where it is.</summary>
    private void Shutdown(uint reason)
    {
        ShutdownReasonGiven = reason;
        if (_options.Kind == SimulatedDomainKind.Dom0)
            Clock.Stop($"dom{_options.DomainId} powered off while this domain was still running: Xen halts the machine " +
                "when the hardware domain shuts down", this);
    }

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
