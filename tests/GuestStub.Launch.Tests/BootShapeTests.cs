using System;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>The shapes that make no sense are refused, each with the reason a person can act on.</summary>
public class BootShapeTests
{
    [Theory]
    [InlineData("--domu boots under Xen: it cannot be combined with --bare")]
    public void DomUs_on_a_bare_machine(string message) =>
        Assert.Equal(message, Assert.Throws<LaunchException>(() => new BootShape { Bare = true, DomUs = 2 }.Validate()).Message);

    [Fact]
    public void Each_impossible_combination_names_itself()
    {
        Assert.Equal("--el2 applies to --bare only (Xen runs the guest at EL1)",
            Assert.Throws<LaunchException>(() => new BootShape { El2 = true }.Validate()).Message);
        Assert.Equal("--domus must be 1..8, not 9", Assert.Throws<LaunchException>(() => new BootShape { DomUs = 9 }.Validate()).Message);
        Assert.Equal("--cpus must be 1..8, not 0", Assert.Throws<LaunchException>(() => new BootShape { Cpus = 0 }.Validate()).Message);
        Assert.Contains("describe domUs", Assert.Throws<LaunchException>(() => new BootShape { StaticEventChannels = true }.Validate()).Message);
        Assert.Contains("for a bare boot", Assert.Throws<LaunchException>(() => new BootShape { Dtb = "x.dtb" }.Validate()).Message);
    }

    [Fact]
    public void The_default_timeout_is_60_s_and_120_s_with_domUs()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), new BootShape().EffectiveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), new BootShape { DomUs = 1 }.EffectiveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), new BootShape { DomUs = 1, Timeout = TimeSpan.FromSeconds(5) }.EffectiveTimeout);
    }

    [Fact]
    public void An_image_not_built_yet_names_the_build()
    {
        using var c = new FakeCheckout();
        System.IO.File.Delete(c.Layout.Guest.Image);
        Assert.Equal($"{c.Layout.Guest.Image} is missing: run ./build.sh build first",
            Assert.Throws<LaunchException>(() => new BootShape().Describe(c.Layout)).Message);
    }

    [Fact]
    public void An_image_larger_than_its_slot_is_refused()
    {
        using var c = new FakeCheckout();
        c.WriteBytes(c.Layout.Guest.Image, 0x100_0001);
        var e = Assert.Throws<LaunchException>(() =>
            Launcher.Prepare(new BootShape { DomUs = 1 }.Describe(c.Layout) with { Flow = FakeCheckout.Flow }, c.Work));
        Assert.Contains("16777217 bytes, more than the 16 MiB each image has at its load address", e.Message);
    }

    [Fact]
    public void A_shape_is_named_by_its_domains_and_GIC_and_only_what_differs_from_runs_defaults()
    {
        Assert.Equal("dom0-gicv3", ShapeName.Of(new BootShape()));
        Assert.Equal("dom0+2domU-gicv3", ShapeName.Of(new BootShape { DomUs = 2 }));
        Assert.Equal("bare-gicv3", ShapeName.Of(new BootShape { Bare = true }));
        Assert.Equal("dom0+1domU-gicv2-4cpus-4G-dom0_mem512M-plain-static-evtchn", ShapeName.Of(new BootShape
        {
            DomUs = 1, Gic = GuestStub.Launch.Machine.GicVersion.V2, Cpus = 4, Memory = GuestStub.Launch.Machine.MemorySize.Gibibytes(4),
            Dom0Memory = GuestStub.Launch.Machine.MemorySize.Mebibytes(512), PlainDomUs = true, StaticEventChannels = true,
        }));
        // Two boots a JUnit file holds side by side get two names.
        Assert.Equal("2domU-gicv3", ShapeName.Of(new BootShape { DomUs = 2, NoDom0 = true }));
        Assert.Equal("dom0+2domU-gicv3-uboot", ShapeName.Of(new BootShape { DomUs = 2, UBoot = true }));
        Assert.Equal("dom0+2domU-gicv3-2G-static-shm", ShapeName.Of(new BootShape { DomUs = 2, StaticSharedMemory = true, Memory = GuestStub.Launch.Machine.MemorySize.Gibibytes(2) }));
        Assert.Equal("dom0+2domU-gicv3-2G-static-shm-xen-address", ShapeName.Of(new BootShape { DomUs = 2, StaticSharedMemory = true, StaticSharedMemoryXenAddress = true, Memory = GuestStub.Launch.Machine.MemorySize.Gibibytes(2) }));
        Assert.Equal("dom0+1domU-gicv3-static-mem-direct-map", ShapeName.Of(new BootShape { DomUs = 1, StaticMemory = true, DirectMap = true }));
    }
}
