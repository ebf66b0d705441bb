using System;
using System.IO;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// A power-off or a hypercall that traps still ends in a power-off, never a hang or a fault
/// loop (native/vectors.S exception_common). Entered at EL2, the stub keeps its vectors at EL2
/// after dropping to EL1, so an hvc from EL1 that QEMU does not answer (its PSCI conduit is smc
/// with virtualization=on) lands there; the only way out of EL2 is PSCI over smc, whatever the
/// registers hold. The trigger is a tree that says something the machine does not back.
/// </summary>
public class PowerOffBootTests
{
    private static readonly BootShape El2Machine = new() { El2 = true, Timeout = TimeSpan.FromSeconds(30) };

    private static void AssertPoweredOff(BootRun run)
    {
        run.AssertPoweredOff();
    }

    [Fact]
    public void Entered_at_EL2_a_PSCI_hvc_that_traps_to_EL2_powers_off_with_smc()
    {
        string dtb = Boots.DumpBareTree(Path.Combine(RepoPaths.TempDirectory("psci-hvc-el2"), "virt.dtb"), El2Machine);
        var (code, output) = ToolRunner.Run("fdtput", "-t", "s", dtb, "/psci", "method", "hvc");
        Assert.True(code == 0, output);

        BootRun run = Boots.Bare(El2Machine with { Dtb = dtb });

        AssertPoweredOff(run);
        Assert.Contains("  exception level: EL1 (entered at EL2)", run.GuestLines());
        Assert.Equal("skipped no hypervisor node", run.Report("status"));
    }

    [Fact]
    public void Entered_at_EL2_a_tree_that_claims_Xen_powers_off_instead_of_looping()
    {
        // A hypervisor node makes the console and the power-off Xen hypercalls (hvc #0xEA1);
        // with no Xen they trap to the stub's EL2 vectors (the image before this test hung there).
        string dir = RepoPaths.TempDirectory("fake-xen-el2");
        string dts = Path.Combine(dir, "virt.dts");
        var (code, output) = ToolRunner.Run("dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dts,
            Boots.DumpBareTree(Path.Combine(dir, "virt.dtb"), El2Machine));
        Assert.True(code == 0, output);
        string text = File.ReadAllText(dts);
        Assert.Contains("\tmemory@40000000 {", text);
        File.WriteAllText(dts, text.Replace("\tmemory@40000000 {",
            "\thypervisor {\n\t\tcompatible = \"xen,xen-4.17\", \"xen,xen\";\n\t\treg = <0 0x38000000 0 0x1000000>;\n" +
            "\t\tinterrupts = <1 15 0xf04>;\n\t};\n\n\tmemory@40000000 {"));
        string dtb = Path.Combine(dir, "fake-xen.dtb");
        (code, output) = ToolRunner.Run("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts);
        Assert.True(code == 0, output);

        BootRun run = Boots.Bare(El2Machine with { Dtb = dtb });

        AssertPoweredOff(run);
    }
}
