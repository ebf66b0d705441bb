using System;
using System.Globalization;

namespace GuestStub.Launch.Running;

/// <summary>How a boot ended.</summary>
public enum BootEnd
{
    /// <summary>QEMU exited by itself with status 0: the machine powered off (the guest's PSCI
    /// SYSTEM_OFF, or Xen halting it when dom0 shut down).</summary>
    PoweredOff,

    /// <summary>QEMU was still running at the bound and was stopped.</summary>
    TimedOut,

    /// <summary>QEMU exited with a status of its own other than 0 (it could not start the
    /// machine, say).</summary>
    QemuFailed,

    /// <summary>QEMU was ended by a signal that the launcher did not send (the OOM killer,
    /// another process, the terminal).</summary>
    Killed,

    /// <summary>The launcher's caller stopped the boot (Ctrl-C in <c>gueststub run</c>).</summary>
    Interrupted,

    /// <summary>The launcher stopped QEMU once every domain had printed its closing
    /// <c>Test result:</c> line (<see cref="BootDescription.StopAfterVerdicts"/>).</summary>
    StoppedAfterVerdicts,
}

/// <summary>How a boot ended, its exit status or signal, and how long it ran.</summary>
public sealed record BootOutcome(BootEnd End, int? ExitStatus, int? Signal, TimeSpan Elapsed, TimeSpan Timeout)
{
    /// <summary>The machine powered off by itself.</summary>
    public bool PoweredOff => End == BootEnd.PoweredOff;

    /// <summary>The boot ended as it should: powered off, or stopped by the launcher after every
    /// domain's verdict when it was asked to (a boot without dom0, which Xen never halts).</summary>
    public bool Finished => End is BootEnd.PoweredOff or BootEnd.StoppedAfterVerdicts;

    /// <summary>What happened, for a person: the wording <c>./build.sh run</c> used.</summary>
    public string Describe() => End switch
    {
        BootEnd.PoweredOff => "QEMU exited by itself with status 0 (the machine powered off)",
        BootEnd.TimedOut => $"QEMU did not exit within {Seconds(Timeout)}s (stopped by the timeout)",
        BootEnd.QemuFailed => $"QEMU exited with status {ExitStatus}",
        BootEnd.Killed => $"QEMU was killed (signal {Signal}{(Signal == 9 ? ": the OOM killer, or another process" : "")})",
        BootEnd.Interrupted => "the boot was interrupted (QEMU stopped)",
        BootEnd.StoppedAfterVerdicts => "every domain gave its closing verdict; QEMU was stopped then (Xen does not halt without dom0)",
        _ => End.ToString(),
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    public override string ToString() => Describe();
}
