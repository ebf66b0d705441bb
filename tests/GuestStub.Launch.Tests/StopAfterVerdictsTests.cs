using System;
using System.Linq;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Running;
using GuestStub.Launch.Serial;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>
/// A boot without dom0 that Xen never halts, and a boot driven by firmware, with a shell script
/// standing in for QEMU: the launcher stops the machine once every domain has printed its
/// closing <c>Test result:</c> line, types the console input, and keeps the firmware's lines
/// apart from the domains'.
/// </summary>
public class StopAfterVerdictsTests
{
    private static PreparedBoot Script(string script, string? input = null, int domUs = 2, double timeoutSeconds = 60) =>
        ScriptedBoot.Prepare(script, domUs, dom0: false, timeoutSeconds: timeoutSeconds, stopAfterVerdicts: true)
            with { ConsoleInput = input, FirmwareFirst = input is not null };

    [Fact]
    public void The_machine_is_stopped_once_every_domain_has_its_closing_verdict_and_that_is_a_finished_boot()
    {
        BootRun run = Launcher.Run(Script(
            "echo '(XEN) [    1.000000] DOM1: Test result: SKIP'; echo '(d2) [    1.100000] report status ok'; echo '(d2) [    1.200000] Test result: SUCCESS'; exec sleep 50"));
        Assert.Equal(BootEnd.StoppedAfterVerdicts, run.Outcome.End);
        Assert.True(run.Outcome.Finished);
        Assert.False(run.Outcome.PoweredOff);
        Assert.Equal(new[] { 1, 2 }, run.Domains.Select(d => d.Domid));
        Assert.Equal("Test result: SKIP", run.Domain(1).Report.TestResult!.ToString());
    }

    [Fact]
    public void A_domain_without_its_verdict_keeps_the_boot_running_to_its_bound()
    {
        BootRun run = Launcher.Run(Script("echo '(d1) Test result: SUCCESS'; echo '(d2) report status ok'; exec sleep 30", timeoutSeconds: 1));
        Assert.Equal(BootEnd.TimedOut, run.Outcome.End);
        Assert.False(run.Outcome.Finished);
    }

    [Fact]
    public void The_console_input_is_typed_and_the_firmware_s_lines_are_its_own()
    {
        BootRun run = Launcher.Run(Script(
            "IFS= read -r line; echo \"=> $line\"; echo 'Hit any key to stop autoboot'; echo 'Starting kernel ...'; echo '(XEN) Xen version 4.17'; echo '(d1) Test result: SUCCESS'",
            input: "  virtio scan\n", domUs: 1));
        Assert.Equal(new[] { "=>   virtio scan", "Hit any key to stop autoboot", "Starting kernel ..." },
            run.Lines.Where(l => l.Source == LineSource.Firmware).Select(l => l.Text));
        Assert.Empty(run.Domain(0).Lines);
        Assert.Equal(new[] { "Xen version 4.17" }, run.XenLines);
    }

    [Fact]
    public void The_judgement_takes_a_boot_stopped_after_its_verdicts_as_ended_well()
    {
        BootRun run = Launcher.Run(Script("echo '(d1) report status ok'; echo '(d1) Test result: SUCCESS'; exec sleep 50", domUs: 1));
        Assert.Empty(BootJudgement.Problems(run));
    }
}
