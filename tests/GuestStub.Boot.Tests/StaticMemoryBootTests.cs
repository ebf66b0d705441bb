using System;
using System.IO;
using System.Linq;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Reports;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 22, static shared memory and static memory, on a Xen built with CONFIG_STATIC_SHM and
/// CONFIG_STATIC_MEMORY (<see cref="FeatureXen"/>; skipped, saying why, where there is none): dom0 and two domUs, the domUs sharing Xen's
/// CI's region (host 0x50000000, guest 0x4000000, 256 MiB) and a static event channel, exchange
/// data through it, both forms (the host address given; Xen choosing it); static memory,
/// direct-mapped and not. On Debian's 4.17, which lacks STATIC_SHM, what Xen does with the node,
/// and the checks' SKIP where the tree has no region.
/// </summary>
public class StaticMemoryBootTests
{
    private static BootRun Boot(BootShape shape, string xen) =>
        GuestStub.Launch.Running.Launcher.Run((shape with { Xen = xen }).Describe(Boots.Layout), RepoPaths.TempDirectory("static"));

    private static CheckVerdict Check(BootRun run, int domid, string name) =>
        run.Domain(domid).Report.Checks.LastOrDefault(c => c.Name == name) ?? throw new Xunit.Sdk.XunitException($"d{domid}: no check.{name}\n{run.Describe()}");

    [FeatureXenTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_domUs_exchange_data_through_static_shared_memory_and_signal_over_their_static_channel(bool xenChoosesHost)
    {
        // GICv2, as Xen's CI runs this layout (qemu-smoke-dom0less-arm64.sh); GICv3: the next test.
        BootRun run = Boot(new BootShape
        {
            DomUs = 2, StaticSharedMemory = true, StaticSharedMemoryXenAddress = xenChoosesHost, Gic = GicVersion.V2,
            Memory = MemorySize.Gibibytes(2), Timeout = TimeSpan.FromSeconds(240),
        }, FeatureXen.Path);
        run.AssertPoweredOff();
        foreach (int domid in new[] { 1, 2 })
        {
            Assert.True(run.Report(domid, "shm.region") == "0x4000000-0x14000000 my-shared-mem-0", run.Describe());
            foreach (string check in new[] { "static-shm.region", "static-shm.ext-regions", "static-shm.exchange" })
                Assert.True(Check(run, domid, check).Verdict == Verdict.Success, $"d{domid} {Check(run, domid, check)}\n{run.Describe()}");
            Assert.Equal("ok", run.Report(domid, "shm.exchange"));
        }
        // Roles by domid: 1 asks, 2 answers, each over port 20 (StaticEventChannelPorts.BetweenDomUs).
        Assert.Contains("GuestStub: static shared memory: request to domain 2 over port 20: ok", run.Domain(1).Lines);
        Assert.Contains("GuestStub: static shared memory: answer to domain 1 over port 20: ok", run.Domain(2).Lines);
        // Every other check passes too, in every domain: the region is no RAM for anything else.
        foreach (int domid in new[] { 0, 1, 2 })
            Assert.True(run.Domain(domid).Report.TestResult?.Verdict == Verdict.Success, $"d{domid}\n{run.Describe()}");
        if (xenChoosesHost)
            Assert.DoesNotContain(run.RawLines(), l => l.Contains("SHMEM[0]: 0000000050000000", StringComparison.Ordinal));
        else
            Assert.Contains(run.RawLines(), l => l.Contains("SHMEM[0]: 0000000050000000 - 000000005fffffff", StringComparison.Ordinal));
    }

    [FeatureXenFact]
    public void Under_GICv3_the_CI_region_lies_over_the_virtual_redistributors_and_the_check_names_the_overlap()
    {
        // A domU's GICv3 redistributor region is GUEST_GICV3_GICR0_BASE 0x03020000 + 16 MiB
        // (xen/include/public/arch-arm.h), emulated MMIO for all of it (vgic-v3.c); Xen 4.21.2
        // accepts a region at guest 0x4000000 over its last 128 KiB, where a store is not memory
        // but an abort Xen injects (found here: a store at 0x4000040 killed the domU). The rest
        // of the region is shared: the exchange, away from the first page, succeeds.
        BootRun run = Boot(new BootShape
        {
            DomUs = 2, StaticSharedMemory = true, Gic = GicVersion.V3, Memory = MemorySize.Gibibytes(2), Timeout = TimeSpan.FromSeconds(240),
        }, FeatureXen.Path);
        run.AssertPoweredOff();
        foreach (int domid in new[] { 1, 2 })
        {
            Assert.Equal(new CheckVerdict("static-shm.region", Verdict.Failure,
                "my-shared-mem-0 0x4000000-0x14000000 overlaps the GIC's emulated registers 0x3020000-0x4020000"), Check(run, domid, "static-shm.region"));
            Assert.True(Check(run, domid, "static-shm.exchange").Verdict == Verdict.Success, $"{Check(run, domid, "static-shm.exchange")}\n{run.Describe()}");
            Assert.Equal(Verdict.Failure, run.Domain(domid).Report.TestResult?.Verdict);
        }
    }

    [FeatureXenTheory]
    [InlineData(false, "0x40000000-0x48000000", "0x40000000-0x48000000")]
    [InlineData(true, "0x60000000-0x68000000", "0x68000000-0x70000000")]
    public void A_domU_with_static_memory_finds_the_banks_it_was_given_and_passes_every_other_check(bool directMap, string bank1, string bank2)
    {
        BootRun run = Boot(new BootShape
        {
            DomUs = 2, StaticMemory = true, DirectMap = directMap, Memory = MemorySize.Gibibytes(2), Timeout = TimeSpan.FromSeconds(240),
        }, FeatureXen.Path);
        run.AssertPoweredOff();
        foreach ((int domid, string bank) in new[] { (1, bank1), (2, bank2) })
        {
            Assert.True(Check(run, domid, "static-mem.banks").Verdict == Verdict.Success, $"{Check(run, domid, "static-mem.banks")}\n{run.Describe()}");
            Assert.Contains($"  memory:   {bank} (128 MiB)", run.Domain(domid).Lines);
        }
        foreach (int domid in new[] { 0, 1, 2 })
            Assert.True(run.Domain(domid).Report.TestResult?.Verdict == Verdict.Success, $"d{domid}\n{run.Describe()}");
        Assert.Contains(run.RawLines(), l => l.Contains("d1: STATIC BANK[0] 0x00000060000000-0x00000068000000", StringComparison.Ordinal));
    }

    [Fact]
    public void Debians_4_17_without_STATIC_SHM_cannot_boot_the_domains_of_a_static_shm_tree()
    {
        // Without CONFIG_STATIC_SHM, Xen's early scan of the host tree (bootfdt.c early_scan_node)
        // meets domU1's xen,domain-shared-memory-v1 node, process_shm_node returns -EINVAL, and
        // device_tree_for_each_node stops there: domU2's kernel module is never registered, and
        // Xen panics building domU2. No guest runs; nothing reports.
        BootRun run = Boot(new BootShape
        {
            DomUs = 2, StaticSharedMemory = true, Gic = GicVersion.V2, Memory = MemorySize.Gibibytes(2), Timeout = TimeSpan.FromSeconds(120),
        }, "4.17");
        Assert.Contains(run.RawLines(), l => l.Contains("Missing kernel boot module?", StringComparison.Ordinal));
        Assert.Contains(run.RawLines(), l => l.Contains("Could not set up domain domU2", StringComparison.Ordinal));
        foreach (int domid in new[] { 0, 1, 2 })
            Assert.Null(run.Domain(domid).Report.TestResult);
    }

    [Fact]
    public void On_a_Xen_without_static_shared_memory_the_checks_named_are_a_SKIP_saying_why()
    {
        // Debian's 4.17 has no STATIC_SHM: a tree without the region, and the checks asked for by name.
        BootRun run = Boot(new BootShape { DomUs = 2, Append = "gueststub.checks=all,static-shm", Timeout = TimeSpan.FromSeconds(180) }, "4.17");
        run.AssertPoweredOff();
        foreach (int domid in new[] { 1, 2 })
        {
            foreach (string check in new[] { "static-shm.region", "static-shm.ext-regions", "static-shm.exchange" })
                Assert.Equal(new CheckVerdict(check, Verdict.Skip, "no static shared memory in the device tree"), Check(run, domid, check));
            Assert.Equal(Verdict.Skip, run.Domain(domid).Report.TestResult?.Verdict);
        }
    }

    [Fact]
    public void Without_naming_them_a_boot_without_static_memory_prints_none_of_their_checks()
    {
        BootRun run = Boot(new BootShape { DomUs = 1, Timeout = TimeSpan.FromSeconds(180) }, "4.17");
        run.AssertPoweredOff();
        Assert.DoesNotContain(run.Domain(1).Report.Checks, c => c.Category is "static-shm" or "static-mem");
        Assert.Equal(Verdict.Success, run.Domain(1).Report.TestResult?.Verdict);
    }
}
