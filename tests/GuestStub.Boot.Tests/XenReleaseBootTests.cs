using System.Linq;
using GuestStub.Launch.Reports;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 21's acceptance on the releases past 4.17: Debian 13's Xen 4.20 and the 4.21.2 build,
/// dom0 and two domUs, with and without static event channels, on GICv2 and GICv3: every domain
/// reports status ok with a closing verdict of SUCCESS, and QEMU exits by itself (dom0's wait
/// survives the release's interface versions and refusals).
/// </summary>
public class XenReleaseBootTests
{
    [Theory]
    [InlineData("4.20", 3, false)]
    [InlineData("4.20", 2, false)]
    [InlineData("4.20", 3, true)]
    [InlineData("4.20", 2, true)]
    public void Dom0_and_two_domUs_pass_every_check(string xen, int gic, bool staticEventChannels) => Boot(xen, gic, staticEventChannels);

    [FeatureXenTheory]
    [InlineData(3, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(2, true)]
    public void Dom0_and_two_domUs_pass_every_check_on_the_feature_build(int gic, bool staticEventChannels) => Boot("build", gic, staticEventChannels);

    private static void Boot(string xen, int gic, bool staticEventChannels)
    {
        BootRun run = Launcher.Run(new BootShape
        {
            DomUs = 2,
            StaticEventChannels = staticEventChannels,
            Gic = (GuestStub.Launch.Machine.GicVersion)gic,
            Xen = RepoPaths.Xen(xen),
        }.Describe(Boots.Layout), RepoPaths.TempDirectory("release"));
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        Assert.True(BootJudgement.Problems(run).Count == 0, string.Join("; ", BootJudgement.Problems(run)) + "\n" + run.Describe());
        Assert.Equal(new[] { 0, 1, 2 }, run.Domains.Select(d => d.Domid));
        Assert.All(run.Domains, d => Assert.Equal(Verdict.Success, d.Report.TestResult?.Verdict));
        foreach (int domid in new[] { 1, 2 })
            Assert.Equal(staticEventChannels ? "static" : "allocated", run.Domain(domid).Report.Value("frontend.channel"));
    }
}
