using GuestStub.Platform;
using GuestStub.Xen;

namespace GuestStub.Guest;

/// <summary>How the machine is switched off; also recorded for the assembly last-resort path,
/// which reads the same values (native/sysregs.h POWEROFF_*).</summary>
internal enum PowerOffMethod : ulong
{
    /// <summary>Not chosen yet: native code picks PSCI by the entry exception level.</summary>
    Unknown = 0,
    /// <summary>HYPERVISOR_sched_op(SCHEDOP_shutdown, {SHUTDOWN_poweroff}).</summary>
    XenShutdown = 1,
    /// <summary>PSCI SYSTEM_OFF over hvc (the /psci node says method = "hvc").</summary>
    PsciHvc = 2,
    /// <summary>PSCI SYSTEM_OFF over smc.</summary>
    PsciSmc = 3,
}

/// <summary>Switching off: under Xen, a dom0 shutdown halts the machine and QEMU exits (with
/// -no-reboot); bare, PSCI SYSTEM_OFF makes QEMU exit.</summary>
internal static unsafe class PowerOff
{
    private const ulong PsciSystemOff = 0x8400_0008;

    private static PowerOffMethod s_method;

    /// <summary>Xen's SCHEDOP_shutdown when the DTB has a hypervisor node; otherwise PSCI
    /// SYSTEM_OFF over the /psci node's method.</summary>
    internal static void Choose(in BootFacts facts)
    {
        if (facts.Hypervisor.Found)
            Choose(PowerOffMethod.XenShutdown);
        else
            Choose(facts.Psci switch
            {
                PsciConduit.Hvc => PowerOffMethod.PsciHvc,
                PsciConduit.Smc => PowerOffMethod.PsciSmc,
                _ => PowerOffMethod.Unknown,
            });
    }

    internal static void Choose(PowerOffMethod method)
    {
        s_method = method;
        Native.SetPowerOffMethod((ulong)method);
    }

    /// <summary>Never returns. If the chosen call comes back, the assembly fallback takes over.</summary>
    internal static void Now()
    {
        XenConsole.Flush(); // a last line without its newline
        switch (s_method)
        {
            case PowerOffMethod.XenShutdown:
                var hypercalls = new GuestHypercalls();
                SchedOp.PowerOff(ref hypercalls);
                break;
            case PowerOffMethod.PsciHvc:
                Native.PsciHvc(PsciSystemOff, 0, 0, 0);
                break;
            case PowerOffMethod.PsciSmc:
                Native.PsciSmc(PsciSystemOff, 0, 0, 0);
                break;
        }
        Native.PowerOffRaw();
    }
}
