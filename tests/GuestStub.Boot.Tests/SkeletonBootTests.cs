using System;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// The walking skeleton, booted for real: bare on QEMU virt (entered at EL1 and at EL2) and as
/// dom0 under Xen 4.17. Each run must print the banner and power off by itself with status 0.
/// </summary>
public class SkeletonBootTests
{
    private static void AssertPoweredOff(BootRun run) => run.AssertPoweredOff();

    private static void AssertBanner(BootRun run)
    {
        string? first = run.GuestLines().FirstOrDefault(l => l.StartsWith("GuestStub", StringComparison.Ordinal));
        Assert.True(first is not null && first.StartsWith("GuestStub 0.", StringComparison.Ordinal),
            "no banner line starting with 'GuestStub <version>'\n" + run.Describe());
        Assert.Contains("  MMU: on, data cache on, instruction cache on", run.GuestLines());
    }

    [Fact]
    public void Bare_at_EL1_prints_the_banner_and_powers_off_through_PSCI()
    {
        BootRun run = Boots.Bare();
        AssertPoweredOff(run);
        AssertBanner(run);
        Assert.Contains("  exception level: EL1 (entered at EL1)", run.GuestLines());
        Assert.Contains("  Xen: not detected (no hypervisor node): running bare", run.GuestLines());
        Assert.Equal("none", run.Report("hypervisor"));
        Assert.Equal("skipped no hypervisor node", run.Report("status"));
        // QEMU virt's RAM with -m 1G, as the guest read it from QEMU's DTB.
        Assert.Contains("  memory:   0x40000000-0x80000000 (1 GiB)", run.GuestLines());
    }

    [Fact]
    public void Bare_entered_at_EL2_drops_to_EL1_and_powers_off_through_PSCI_smc()
    {
        BootRun run = Boots.Bare(new BootShape { El2 = true });
        AssertPoweredOff(run);
        AssertBanner(run);
        Assert.Contains("  exception level: EL1 (entered at EL2)", run.GuestLines());
        Assert.Equal("skipped no hypervisor node", run.Report("status"));
    }

    [Fact]
    public void Under_Xen_as_dom0_it_detects_Xen_and_finds_the_DTB_and_load_address_Xen_logged()
    {
        BootRun run = Boots.XenDom0();
        AssertPoweredOff(run);
        AssertBanner(run);
        Assert.Contains("  Xen: detected (hypervisor node, xen,xen-4.17)", run.GuestLines());
        Assert.Equal("xen-4.17", run.Report("hypervisor"));
        Assert.Equal("ok", run.Report("status"));
        Assert.Contains("Hardware Dom0 halted: halting machine", run.XenLines);

        // "(XEN) Loading d0 DTB to 0x0000000077e00000-0x0000000077e01c1f": the guest must have
        // found its DTB exactly there (x0), and its image where Xen put it.
        Match dtb = run.Find(@"Loading d0 DTB to 0x([0-9a-f]+)-0x([0-9a-f]+)");
        ulong dtbStart = Convert.ToUInt64(dtb.Groups[1].Value, 16);
        ulong dtbEnd = Convert.ToUInt64(dtb.Groups[2].Value, 16);
        Assert.Contains($"  DTB: 0x{dtbStart:x}-0x{dtbEnd:x} ({dtbEnd - dtbStart} bytes, 1 memory banks)", run.GuestLines());
        Match image = run.Find(@"Loading zImage from [0-9a-f]+ to ([0-9a-f]+)-");
        ulong imageStart = Convert.ToUInt64(image.Groups[1].Value, 16);
        Assert.Matches($"^  image: 0x{imageStart:x}-0x[0-9a-f]+$", run.GuestLines().Single(l => l.StartsWith("  image: ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void Under_Xen_it_boots_with_other_GIC_versions_and_vCPU_counts(int gic, int cpus)
    {
        BootRun run = Boots.XenDom0(new BootShape { Gic = (GuestStub.Launch.Machine.GicVersion)gic, Cpus = cpus });
        AssertPoweredOff(run);
        AssertBanner(run);
        Assert.Equal("ok", run.Report("status"));
    }

    [Fact]
    public void Bare_an_unaligned_8_byte_load_succeeds_because_the_MMU_maps_RAM_as_normal_memory()
    {
        BootRun run = Boots.Bare(new BootShape { Append = "gueststub.selftest=unaligned" });
        AssertPoweredOff(run);
        Assert.Contains("GuestStub: selftest unaligned: read 0x1817161514131211 ok", run.GuestLines());
    }

    [Fact]
    public void Under_Xen_an_unaligned_8_byte_load_succeeds()
    {
        BootRun run = Boots.XenDom0(new BootShape { Append = "gueststub.selftest=unaligned" });
        AssertPoweredOff(run);
        Assert.Contains("GuestStub: selftest unaligned: read 0x1817161514131211 ok", run.GuestLines());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_data_abort_prints_ESR_ELR_FAR_and_powers_off(bool underXen)
    {
        var options = new BootShape { Append = "gueststub.selftest=abort" };
        BootRun run = underXen ? Boots.XenDom0(options) : Boots.Bare(options);
        AssertPoweredOff(run);
        Assert.Contains("GuestStub: fatal exception: synchronous, current EL, data abort (EC 0x25)", run.GuestLines());
        Match regs = run.Find(@"^GuestStub:   ESR 0x([0-9a-f]+) ELR 0x([0-9a-f]+) FAR 0x([0-9a-f]+) SPSR 0x([0-9a-f]+)");
        ulong esr = Convert.ToUInt64(regs.Groups[1].Value, 16);
        ulong elr = Convert.ToUInt64(regs.Groups[2].Value, 16);
        ulong far = Convert.ToUInt64(regs.Groups[3].Value, 16);
        Assert.Equal(0x25UL, esr >> 26);                       // EC: data abort, same EL
        Assert.Equal(0x05UL, esr & 0x3F);                      // DFSC: translation fault, level 1
        Assert.Equal(0xFFFF_FF80_4000_0000UL, far);            // the address the self-test loaded
        // ELR is the faulting load itself: the first instruction of gueststub_read_u64.
        Assert.Equal(ToolRunner.SymbolAddress(RepoPaths.GuestElf, "gueststub_read_u64"), elr);
        Assert.Equal(1, run.GuestLines().Count(l => l.StartsWith("GuestStub: fatal exception", StringComparison.Ordinal)));
    }

    [Fact]
    public void Statics_of_reference_type_work_because_the_runtime_initialises_GC_static_bases()
    {
        BootRun run = Boots.Bare(new BootShape { Append = "gueststub.selftest=statics" });
        AssertPoweredOff(run);
        Assert.Contains("GuestStub: selftest statics: runtime 42, preinitialized 6 ok", run.GuestLines());
    }

    [Fact]
    public void A_CSharp_throw_fails_fast_with_its_message_and_powers_off()
    {
        BootRun run = Boots.Bare(new BootShape { Append = "gueststub.selftest=throw" });
        AssertPoweredOff(run);
        Assert.Contains("GuestStub: fail-fast: selftest: a C# throw ends in fail-fast", run.GuestLines());
        Assert.DoesNotContain("report status ok", run.GuestLines());
    }
}
