using System;
using System.Linq;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 11 on real Xen 4.17: dom0 and a dom0less domU with no stub arguments learn their domid
/// from Xen, take the loopback event through the upcall on their PPI (GICv2 and GICv3), and the
/// machine powers off by itself once dom0 has seen the domU finish. A domU without the
/// hypervisor node prints on the SBSA UART Xen gives it.
/// </summary>
public class EventChannelBootTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void Dom0_and_a_domU_take_the_loopback_upcall_with_no_stub_arguments(int gic)
    {
        BootRun run = Boots.XenWithDomU(new BootShape { Gic = (GuestStub.Launch.Machine.GicVersion)gic });
        Assert.True(run.Outcome.PoweredOff, run.Describe());

        Assert.Equal("0", run.Report("domid"));
        Assert.Equal("16", run.Report("evtchn.ppi")); // "Allocating PPI 16 for event channel interrupt"
        Assert.Contains("Allocating PPI 16 for event channel interrupt", run.Output);
        Assert.Equal("ok", run.Report("evtchn.upcall"));
        Assert.True(ulong.Parse(run.Report("evtchn.upcall.latency_ticks")!) > 0, run.Describe());
        Assert.Equal("ok", run.Report("status"));
        Assert.Equal("1", run.Report("domains.others"));
        Assert.Equal("ok", run.Report("domains.wait"));

        var domU = run.DomUReport();
        Assert.Equal("1", domU["domid"]);
        Assert.Equal("31", domU["evtchn.ppi"]); // GUEST_EVTCHN_PPI
        Assert.Equal("ok", domU["evtchn.upcall"]);
        Assert.Equal("ok", domU["status"]);
        // The domU finished before dom0 halted the machine.
        var lines = run.Lines.ToList();
        int domUDone = lines.FindIndex(l => l.IsDomain(1) && l.Text.StartsWith("GuestStub: powering off", StringComparison.Ordinal));
        int halt = lines.FindIndex(l => l.Source == GuestStub.Launch.Serial.LineSource.Xen && l.Text.Contains("Hardware Dom0 halted", StringComparison.Ordinal));
        Assert.True(domUDone >= 0 && halt > domUDone, run.Describe());
        Assert.DoesNotContain(run.RawLines(), l => l.Contains("unexpected interrupt", StringComparison.Ordinal));
    }

    [Fact]
    public void A_domU_without_the_hypervisor_node_prints_its_banner_on_the_sbsa_uart_and_powers_off()
    {
        BootRun run = Boots.XenWithDomU(new BootShape { PlainDomUs = true });
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        // Every line of domain 1 came through its vpl011 UART, which Xen prints as "(XEN) DOM1: ".
        var domULines = run.Lines.Where(l => l.IsDomain(1)).ToList();
        Assert.True(domULines.Count > 0 && domULines.All(l => l.Raw.StartsWith("(XEN) DOM1: ", StringComparison.Ordinal)), run.Describe());
        string[] domU = domULines.Select(l => l.Text).ToArray();
        Assert.Contains(domU, l => l.StartsWith("GuestStub 0.1.0: bare-metal Xen-on-Arm64 guest in C#", StringComparison.Ordinal));
        Assert.Contains("GuestStub: no hypervisor node: nothing to set up with Xen", domU);
        Assert.Contains("report hypervisor none", domU);
        Assert.Contains("report status skipped no hypervisor node", domU);
        Assert.Contains("GuestStub: powering off", domU); // PSCI SYSTEM_OFF, the domain shuts down
        Assert.Equal("ok", run.Report("domains.wait"));
    }
}
