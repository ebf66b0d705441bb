using System;
using System.IO;
using System.Linq;
using GuestStub.Launch;
using GuestStub.Launch.ImageBuilder;
using GuestStub.Launch.Reports;
using GuestStub.Launch.Running;
using GuestStub.Launch.Serial;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 21: the stub booted as Xen's own arm64 CI boots its guests, from an ImageBuilder
/// config through U-Boot, with the CI's Xen command line exactly (no guest_loglvl: a release
/// Xen then prints a domU's vpl011 and drops its HVC console), and every domain's verdict read
/// from the console with its timestamps and prefixes; and the shapes of deployment where Xen's
/// checks cannot all run, each with the verdict it must give.
/// </summary>
public class UBootBootTests
{
    private static string CiConfig => Path.Combine(RepoPaths.Root, "tests", "fixtures", "imagebuilder", "ci-dom0less.cfg");

    private static BootRun Boot(ImageBuilderConfig config, string xen, int gic = 3) =>
        Launcher.Run(ImageBuilderBoot.Describe(config, Boots.Layout, new ImageBuilderBoot.Choices
        {
            StubImage = RepoPaths.GuestImage,
            Xen = RepoPaths.Xen(xen),
            Gic = (GuestStub.Launch.Machine.GicVersion)gic,
            Timeout = TimeSpan.FromSeconds(240),
        }), RepoPaths.TempDirectory("uboot"));

    /// <summary>A config of one's own, written beside the test's files.</summary>
    private static ImageBuilderConfig Config(string text)
    {
        string path = Path.Combine(RepoPaths.TempDirectory("config"), "test.cfg");
        File.WriteAllText(path, text);
        return ImageBuilderConfig.Load(path);
    }

    [Theory]
    [InlineData("4.17", 3)]
    [InlineData("4.17", 2)]
    [InlineData("4.20", 3)]
    public void Xen_s_CI_config_boots_through_U_Boot_and_every_domain_s_verdict_is_read(string xen, int gic) => CiConfigBoot(xen, gic);

    [FeatureXenFact]
    public void Xen_s_CI_config_boots_through_U_Boot_on_the_feature_build() => CiConfigBoot("build", 3);

    private static void CiConfigBoot(string xen, int gic)
    {
        BootRun run = Boot(ImageBuilderConfig.Load(CiConfig), xen, gic);
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        Assert.Empty(BootJudgement.Problems(run));
        // U-Boot ran the CI's command and the script; Xen got the CI's command line and nothing else.
        Assert.Contains(run.Lines, l => l.Source == LineSource.Firmware && l.Text.Contains("source 0x40000000", StringComparison.Ordinal));
        string script = File.ReadAllText(Path.Combine(Path.GetDirectoryName(run.Prepared.HostTree!)!, "boot.source"));
        Assert.Contains("fdt set /chosen xen,xen-bootargs \"console=dtuart dom0_mem=512M console_timestamps=boot\"\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("guest_loglvl", run.Output, StringComparison.Ordinal);
        foreach (DomainConsole domain in run.Domains)
        {
            Assert.True(domain.Report.TestResult?.Verdict == Verdict.Success, $"{domain.Name}: {domain.Report.VerdictReason}\n{run.Describe()}");
            Assert.Equal("ok", domain.Report.LastValue("status"));
        }
        Assert.Equal(new[] { 0, 1, 2 }, run.Domains.Select(d => d.Domid));
        // The domUs wrote on their vpl011, which Xen prints with a timestamp and their DOMn prefix.
        foreach (int domid in new[] { 1, 2 })
        {
            ConsoleLine verdict = run.Lines.Last(l => l.IsDomain(domid) && l.Text.StartsWith(TestResult.Prefix, StringComparison.Ordinal));
            Assert.Matches($@"^\(XEN\) \[ *\d+\.\d{{6}}\] DOM{domid}: Test result: SUCCESS$", verdict.Raw);
        }
    }

    [FeatureXenTheory]
    [InlineData("static-shared-mem.cfg")]
    [InlineData("static-mem.cfg")]
    public void Xen_s_CI_static_memory_variants_boot_through_U_Boot_on_the_build_with_static_memory(string file)
    {
        // On GICv2 as Xen's CI boots them: on GICv3 the CI's guest address for the shared region,
        // 0x4000000, lies over the domU's GICv3 redistributors, and the stub says so (FAILURE).
        BootRun run = Boot(ImageBuilderConfig.Load(Path.Combine(RepoPaths.Root, "tests", "fixtures", "imagebuilder", file)), "build", gic: 2);
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        Assert.True(BootJudgement.Problems(run).Count == 0, string.Join("; ", BootJudgement.Problems(run)) + "\n" + run.Describe());
        string script = File.ReadAllText(Path.Combine(Path.GetDirectoryName(run.Prepared.HostTree!)!, "boot.source"));
        if (file == "static-mem.cfg")
        {
            Assert.Contains("fdt set /chosen/domU1 xen,static-mem <0x0 0x50000000 0x0 0x10000000>\n", script, StringComparison.Ordinal);
            // The domU's RAM is the host bank, at the same address (direct-mapped).
            Assert.Contains(run.Domain(1).Lines, l => l.Contains("memory:   0x50000000-0x60000000 (256 MiB)", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains("xen,shm-id \"my-shared-mem-0\"", script, StringComparison.Ordinal);
            foreach (int domid in new[] { 1, 2 })
                Assert.Equal(Verdict.Success, run.Domain(domid).Report.TestResult?.Verdict);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void Static_event_channels_added_by_fdt_commands_with_explicit_phandles_are_bound_by_Xen(int gic)
    {
        BootRun run = Boots.Run(new BootShape { DomUs = 2, UBoot = true, StaticEventChannels = true, Gic = (GuestStub.Launch.Machine.GicVersion)gic });
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        Assert.True(BootJudgement.Problems(run).Count == 0, string.Join("; ", BootJudgement.Problems(run)) + "\n" + run.Describe());
        foreach (int domid in new[] { 1, 2 })
            Assert.Equal("static", run.Domain(domid).Report.Value("frontend.channel"));
        Assert.Contains(run.Lines, l => l.Source == LineSource.Firmware && l.Text.StartsWith("## Executing script at 40000000", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dom0less_domU_with_no_dom0_skips_its_frontend_with_the_reason_and_the_boot_ends_on_its_verdict()
    {
        BootRun run = Boot(ImageBuilderConfig.Load(Path.Combine(RepoPaths.Root, "tests", "fixtures", "imagebuilder", "no-dom0.cfg")), "4.17");
        // Xen never halts with no dom0: the launcher stops it once the domU has its closing verdict.
        Assert.Equal(BootEnd.StoppedAfterVerdicts, run.Outcome.End);
        Assert.Equal(new[] { 1 }, run.Domains.Select(d => d.Domid));
        DomainReport d1 = run.Domain(1).Report;
        Assert.Equal(Verdict.Skip, d1.TestResult?.Verdict);
        CheckVerdict publish = d1.Checks.Single(c => c.Name == "frontend.publish");
        Assert.Equal(Verdict.Skip, publish.Verdict);
        Assert.StartsWith("no dom0 to publish to: EVTCHNOP_alloc_unbound dom=0: -ESRCH", publish.Reason, StringComparison.Ordinal);
        Assert.All(d1.Checks.Where(c => c.Name.StartsWith("frontend.", StringComparison.Ordinal)), c => Assert.Equal(Verdict.Skip, c.Verdict));
        Assert.Equal("ok", d1.LastValue("status"));
        Assert.Contains("xen,enhanced", File.ReadAllText(Path.Combine(Path.GetDirectoryName(run.Prepared.HostTree!)!, "boot.source")), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_dom0_through_the_loader_the_same_verdict()
    {
        BootRun run = Boots.Run(new BootShape { DomUs = 1, NoDom0 = true });
        Assert.Equal(BootEnd.StoppedAfterVerdicts, run.Outcome.End);
        Assert.Equal(Verdict.Skip, run.Domain(1).Report.TestResult?.Verdict);
        Assert.Equal(Verdict.Skip, run.Domain(1).Report.Checks.Single(c => c.Name == "frontend.publish").Verdict);
    }

    [Fact]
    public void A_domU_ImageBuilder_gives_no_hypervisor_node_skips_every_check_with_the_reason()
    {
        BootRun run = Boot(Config(File.ReadAllText(CiConfig) + "DOMU_ENHANCED[1]=0\n"), "4.17");
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        DomainReport d2 = run.Domain(2).Report;
        Assert.Equal(Verdict.Skip, d2.TestResult?.Verdict);
        Assert.NotEmpty(d2.Checks);
        Assert.All(d2.Checks, c =>
        {
            Assert.Equal(Verdict.Skip, c.Verdict);
            Assert.StartsWith("no hypervisor node", c.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(Verdict.Success, run.Domain(1).Report.TestResult?.Verdict);
    }

    [Fact]
    public void A_plain_domU_through_the_loader_ends_Test_result_SKIP()
    {
        BootRun run = Boots.Run(new BootShape { DomUs = 1, PlainDomUs = true });
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        Assert.Equal(Verdict.Skip, run.Domain(1).Report.TestResult?.Verdict);
        Assert.All(run.Domain(1).Report.Checks, c => Assert.Equal(Verdict.Skip, c.Verdict));
    }
}
