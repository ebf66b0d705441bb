using System;
using System.Linq;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Matrix;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>The matrix's plan of boots, as data: what it boots, in which order, how often.</summary>
public class MatrixPlanTests
{
    [Fact]
    public void It_boots_48_dom0_configurations_then_dom0_and_two_domUs()
    {
        var boots = MatrixPlan.Boots(1, "", TimeSpan.FromSeconds(120), "4.17");
        Assert.Equal(49, boots.Count);
        var dom0 = boots.Take(48).Select(b => b.Shape).ToList();
        Assert.All(dom0, s => Assert.True(s.DomUs == 0 && !s.Bare && s.Dom0Memory == MemorySize.Mebibytes(128)));
        // Every combination once: GIC x vCPUs x memory x grant placement.
        Assert.Equal(48, dom0.Select(s => (s.Gic, s.Cpus, s.Memory, s.Append)).Distinct().Count());
        Assert.Equal(new[] { GicVersion.V2, GicVersion.V3 }, dom0.Select(s => s.Gic).Distinct().Order());
        Assert.Equal(new[] { 1, 2, 4 }, dom0.Select(s => s.Cpus).Distinct().Order());
        Assert.Equal(new[] { "1G", "2G", "4G", "8G" }, dom0.Select(s => s.Memory.ToString()).Distinct().Order());
        Assert.Equal(24, dom0.Count(s => s.Append == $"console=hvc0 gnttab=ballooned {MatrixPlan.Dom0AloneChecks}"));
        Assert.Equal(24, dom0.Count(s => s.Append == $"console=hvc0 {MatrixPlan.Dom0AloneChecks}"));
        MatrixBoot last = boots[^1];
        Assert.Equal("dom0+2 domUs (dom0less) gic=3 cpus=1 memory=1G run=1", last.Label);
        Assert.Equal(2, last.Shape.DomUs);
        Assert.Equal("dom0 gic=2 cpus=1 memory=1G dom0_mem=128M grant=region0 run=1", boots[0].Label);
        Assert.Equal("dom0 gic=2 cpus=1 memory=1G dom0_mem=128M grant=ballooned run=1", boots[1].Label);
        Assert.Equal(49, boots.Select(b => b.Label).Distinct().Count());
    }

    [Fact]
    public void Every_boot_gets_the_bound_the_Xen_and_the_Xen_arguments_asked_for()
    {
        var boots = MatrixPlan.Boots(1, "sched=credit2", TimeSpan.FromSeconds(90), "4.20");
        Assert.All(boots, b => Assert.Equal((TimeSpan.FromSeconds(90), "4.20", "sched=credit2"), (b.Shape.EffectiveTimeout, b.Shape.Xen, b.Shape.XenAppend)));
    }

    [Fact]
    public void Repeat_runs_it_all_again_with_the_run_in_the_label()
    {
        var boots = MatrixPlan.Boots(3, "", TimeSpan.FromSeconds(120), "4.17");
        Assert.Equal(147, boots.Count);
        Assert.Equal(147, boots.Select(b => b.Label).Distinct().Count());
        Assert.EndsWith("run=3", boots[^1].Label);
        Assert.Equal("--repeat must be a positive number, not 0",
            Assert.Throws<LaunchException>(() => MatrixPlan.Boots(0, "", TimeSpan.FromSeconds(1), "4.17")).Message);
    }

    [Fact]
    public void Every_boot_of_the_plan_describes_a_bootable_machine()
    {
        using var c = new FakeCheckout();
        foreach (MatrixBoot boot in MatrixPlan.Boots(1, "", TimeSpan.FromSeconds(120), "4.17"))
        {
            BootDescription description = boot.Shape.Describe(c.Layout);
            Assert.Equal(boot.Shape.DomUs + 1, description.DomainCount);
            Assert.NotNull(description.Xen);
        }
    }

    [Fact]
    public void A_label_becomes_a_file_name()
    {
        Assert.Equal("dom0_2_domUs__dom0less__gic=3_cpus=1_memory=1G_run=1.log",
            new MatrixBoot("dom0+2 domUs (dom0less) gic=3 cpus=1 memory=1G run=1", new BootShape()).LogName);
    }

    [Fact]
    public void In_the_release_table_the_dom0_boots_are_one_column_each_boot_with_a_name_of_its_own()
    {
        var boots = MatrixPlan.Boots(1, "", TimeSpan.FromSeconds(120), "4.17");
        Assert.Equal(new[] { "dom0", "dom0+2domU-gicv3" }, boots.Select(b => b.Column).Distinct());
        Assert.Equal(48, boots.Count(b => b.Column == MatrixPlan.Dom0Column));
        Assert.Equal("dom0-gicv2-1cpus-1G-region0", boots[0].Name);
        Assert.Equal("dom0-gicv3-4cpus-8G-ballooned", boots[47].Name);
        Assert.Equal("dom0+2domU-gicv3", boots[^1].Name);
        Assert.Equal(49, boots.Select(b => b.Name).Distinct().Count());
        Assert.Equal(147, MatrixPlan.Boots(3, "", TimeSpan.FromSeconds(120), "4.17").Select(b => b.Name).Distinct().Count());
    }

    [Fact]
    public void Several_Xens_run_the_whole_plan_on_each_in_turn_labelled_by_Xen()
    {
        var boots = MatrixPlan.Boots(1, "", TimeSpan.FromSeconds(120), MatrixPlan.XenList("4.17, 4.20,/x/xen-4.21.2-arm64"));
        Assert.Equal(147, boots.Count);
        Assert.Equal(new[] { "4.17", "4.20", "/x/xen-4.21.2-arm64" }, boots.Select(b => b.Shape.Xen).Distinct());
        Assert.Equal("xen=4.17 dom0 gic=2 cpus=1 memory=1G dom0_mem=128M grant=region0 run=1", boots[0].Label);
        Assert.Equal("xen=xen-4.21.2-arm64 dom0+2 domUs (dom0less) gic=3 cpus=1 memory=1G run=1", boots[^1].Label);
        Assert.Equal(147, boots.Select(b => b.LogName).Distinct().Count());
        // One Xen keeps the labels (and log names) of the plain matrix.
        Assert.Equal("dom0 gic=2 cpus=1 memory=1G dom0_mem=128M grant=region0 run=1",
            MatrixPlan.Boots(1, "", TimeSpan.FromSeconds(120), MatrixPlan.XenList("4.20"))[0].Label);
    }

    [Theory]
    [InlineData("4.17,,4.20", "--xen '4.17,,4.20' has an empty name: give 4.17, 4.20 or a path, separated by commas")]
    [InlineData("4.17,4.17", "--xen names 4.17 twice")]
    [InlineData("/a/xen,/b/xen", "--xen names two Xens called xen (/a/xen, /b/xen): their logs and columns would be one; copy one under another name")]
    public void A_list_of_Xens_with_a_hole_or_a_repeat_is_refused(string value, string message)
    {
        Assert.Equal(message, Assert.Throws<LaunchException>(() =>
            MatrixPlan.Boots(1, "", TimeSpan.FromSeconds(1), MatrixPlan.XenList(value))).Message);
    }
}
