using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Running;
using GuestStub.Launch.Serial;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>
/// How a boot ends and what it printed, with a shell script standing in for QEMU: every outcome
/// the launcher can give, the bound on the wait, and the console read line by line as it comes.
/// </summary>
public class RunningBootTests
{
    private static PreparedBoot Script(string script, double timeoutSeconds = 20, bool underXen = true) =>
        ScriptedBoot.Prepare(script, timeoutSeconds: timeoutSeconds, underXen: underXen);

    [Fact]
    public void Status_0_is_a_power_off_and_the_lines_go_to_their_domains()
    {
        BootRun run = Launcher.Run(Script("echo '(XEN) Xen version'; echo 'report status ok'; echo '(d1) [    1.000000] report status ok'; echo 'qemu: a warning' >&2"));
        Assert.Equal(BootEnd.PoweredOff, run.Outcome.End);
        Assert.True(run.Outcome.PoweredOff);
        Assert.Equal("QEMU exited by itself with status 0 (the machine powered off)", run.Outcome.Describe());
        Assert.Equal(new[] { "report status ok" }, run.Domain(0).Lines);
        Assert.Equal("ok", run.Domain(1).Report.Value("status"));
        Assert.Equal(new[] { "Xen version" }, run.XenLines);
        Assert.Equal(new[] { "qemu: a warning" }, run.QemuLines);
        Assert.Equal(new[] { 0, 1 }, run.Domains.Select(d => d.Domid));
        Assert.Contains("(d1) [    1.000000] report status ok\n", run.Output);
    }

    [Fact]
    public void A_status_of_its_own_is_QEMU_failing()
    {
        BootRun run = Launcher.Run(Script("echo 'qemu-system-aarch64: cannot set up guest memory' >&2; exit 1"));
        Assert.Equal(BootEnd.QemuFailed, run.Outcome.End);
        Assert.Equal(1, run.Outcome.ExitStatus);
        Assert.Equal("QEMU exited with status 1", run.Outcome.Describe());
    }

    [Fact]
    public void A_signal_nobody_here_sent_is_a_kill()
    {
        BootRun run = Launcher.Run(Script("kill -9 $$"));
        Assert.Equal(BootEnd.Killed, run.Outcome.End);
        Assert.Equal(9, run.Outcome.Signal);
        Assert.Equal("QEMU was killed (signal 9: the OOM killer, or another process)", run.Outcome.Describe());
    }

    [Fact]
    public void QEMU_terminating_on_a_signal_with_status_0_is_a_kill_not_a_power_off()
    {
        BootRun run = Launcher.Run(Script("echo 'qemu-system-aarch64: terminating on signal 15 from pid 4242 (bash)' >&2; exit 0"));
        Assert.Equal(BootEnd.Killed, run.Outcome.End);
        Assert.Equal(15, run.Outcome.Signal);
    }

    [Fact]
    public void A_boot_past_its_bound_is_stopped_and_says_so()
    {
        BootRun run = Launcher.Run(Script("echo 'report status ok'; exec sleep 30", timeoutSeconds: 0.5));
        Assert.Equal(BootEnd.TimedOut, run.Outcome.End);
        Assert.Equal("QEMU did not exit within 0.5s (stopped by the timeout)", run.Outcome.Describe());
        Assert.InRange(run.Outcome.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(15));
        Assert.Equal(new[] { "report status ok" }, run.Domain(0).Lines);
    }

    [Fact]
    public void A_boot_the_caller_stops_is_interrupted()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        BootRun run = Launcher.Run(Script("exec sleep 30"), cancel: cancel.Token);
        Assert.Equal(BootEnd.Interrupted, run.Outcome.End);

        using RunningBoot running = Launcher.Start(Script("exec sleep 30"));
        running.Interrupt();
        Assert.Equal(BootEnd.Interrupted, running.Wait().Outcome.End);
    }

    [Fact]
    public void The_observer_sees_each_line_as_it_comes_and_each_whole_line_once_complete()
    {
        var observer = new Recorder();
        Launcher.Run(Script("echo 'first part(d1) a domU line'; echo ' and the rest'; echo oops >&2"), observer);
        Assert.Equal(new[] { "out first part(d1) a domU line", "out  and the rest", "err oops" }, observer.Raw.OrderBy(r => r.StartsWith("err", StringComparison.Ordinal)));
        Assert.Contains("1 a domU line", observer.Whole);
        Assert.Contains("0 first part and the rest", observer.Whole);
    }

    [Fact]
    public void An_observer_that_fails_stops_the_boot_and_its_error_comes_back()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Launcher.Run(Script("echo one; exec sleep 30"), new Failing()));
        Assert.Equal("observer failed", e.Message);
    }

    [Fact]
    public void An_emulator_that_cannot_be_run_names_setup()
    {
        var prepared = Script("true") with { Command = new QemuCommand(new[] { "/nonexistent/qemu-system-aarch64" }) };
        Assert.Contains("./build.sh setup installs it", Assert.Throws<LaunchException>(() => Launcher.Run(prepared)).Message);
    }

    private sealed class Recorder : BootObserver
    {
        public readonly List<string> Raw = new();
        public readonly List<string> Whole = new();

        public override void OnOutput(string raw, bool standardError) => Raw.Add((standardError ? "err " : "out ") + raw);

        public override void OnLine(ConsoleLine line) => Whole.Add($"{line.Domain} {line.Text}");
    }

    private sealed class Failing : BootObserver
    {
        public override void OnOutput(string raw, bool standardError) => throw new InvalidOperationException("observer failed");
    }
}
