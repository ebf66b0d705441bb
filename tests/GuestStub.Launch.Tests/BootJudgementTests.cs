using System;
using System.Linq;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Running;
using GuestStub.Launch.Serial;
using GuestStub.Launch.Xen;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>The matrix's judgement of a finished boot, on consoles written here.</summary>
public class BootJudgementTests
{
    private static BootRun Run(BootEnd end, int domUs, params string[] console)
    {
        var boot = new BootDescription
        {
            Dom0 = new Dom0("guest.img"),
            Xen = new XenHypervisor(new XenImage("4.17", "xen"), new XenCommandLine()),
            DomUs = Enumerable.Range(0, domUs).Select(_ => new DomU("guest.img")).ToList(),
            Timeout = TimeSpan.FromSeconds(120),
        };
        var outcome = new BootOutcome(end, end == BootEnd.QemuFailed ? 1 : 0, null, TimeSpan.FromSeconds(1), boot.Timeout);
        return new BootRun(new PreparedBoot(boot, new QemuCommand(new[] { "qemu-system-aarch64" }), null), outcome,
            string.Join("\n", console), ConsoleSplitter.Split(console, underXen: true));
    }

    [Fact]
    public void A_boot_that_powered_off_with_every_domain_ok_is_ok()
    {
        Assert.Empty(BootJudgement.Problems(Run(BootEnd.PoweredOff, 2, "report status ok", "(d1) report status ok", "(XEN) DOM2: report status ok")));
    }

    [Fact]
    public void Each_domain_that_did_not_say_ok_is_named()
    {
        Assert.Equal(new[] { "d1: report status error EVTCHNOP_alloc_unbound dom=0: -ESRCH (-3)", "d2: no report status line" },
            BootJudgement.Problems(Run(BootEnd.PoweredOff, 2, "report status ok", "(d1) report status error EVTCHNOP_alloc_unbound dom=0: -ESRCH (-3)")));
        Assert.Equal(new[] { "dom0: report status error x" },
            BootJudgement.Problems(Run(BootEnd.PoweredOff, 0, "report status ok", "report status error x")));
    }

    [Fact]
    public void A_boot_that_did_not_power_off_by_itself_is_named_with_how_it_ended()
    {
        Assert.Equal("did not power off within 120s", BootJudgement.Problems(Run(BootEnd.TimedOut, 0, "report status ok"))[0]);
        Assert.Equal("QEMU exited 1", BootJudgement.Problems(Run(BootEnd.QemuFailed, 0, "report status ok"))[0]);
    }

    [Fact]
    public void A_closing_verdict_other_than_success_or_a_malformed_line_fails_the_boot()
    {
        Assert.Equal(new[] { "dom0: Test result: SKIP" },
            BootJudgement.Problems(Run(BootEnd.PoweredOff, 0, "report status ok", "report check.xen.node SKIP no hypervisor node", "Test result: SKIP")));
        Assert.Empty(BootJudgement.Problems(Run(BootEnd.PoweredOff, 0, "report status ok", "report check.grant.setup SUCCESS", "Test result: SUCCESS")));
        Assert.Equal(new[] { "dom0: a malformed report: line 2: report teardown has no value: report teardown" },
            BootJudgement.Problems(Run(BootEnd.PoweredOff, 0, "report status ok", "report teardown")));
    }
}
