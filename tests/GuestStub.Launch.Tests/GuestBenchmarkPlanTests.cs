using System;
using System.Linq;
using GuestStub.Launch.Bench;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Xen;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>bench-guest's boots: which it runs, and what each boots.</summary>
public class GuestBenchmarkPlanTests
{
    [Fact]
    public void Under_Xen_every_benchmark_runs_the_mapping_one_on_both_GICs_all_under_icount()
    {
        using var checkout = new FakeCheckout();
        var plan = GuestBenchmark.Plan(checkout.Layout, "4.20", bare: false, Array.Empty<string>());
        Assert.Equal(new[] { "dtb", "map-gicv3", "map-gicv2" }, plan.Select(b => b.Name));
        Assert.All(plan, b => Assert.True(b.Boot.Machine.Icount));
        Assert.All(plan, b => Assert.EndsWith("xen-4.20-arm64", b.Boot.Xen!.Image.Path));
        Assert.Equal(new[] { GicVersion.V3, GicVersion.V2 }, plan.Skip(1).Select(b => b.Boot.Machine.Gic));
    }

    [Fact]
    public void The_mapping_boot_is_dom0_and_one_256_MiB_peer_each_told_its_part()
    {
        using var checkout = new FakeCheckout();
        var boot = GuestBenchmark.MapBoot(checkout.Layout, "4.17", GicVersion.V3, "map");
        Assert.Equal("guest-tests.bench=map", boot.Dom0!.Bootargs);
        var peer = Assert.Single(boot.DomUs);
        Assert.Equal("guest-tests.bench=map-peer", peer.Bootargs);
        Assert.Equal(MemorySize.Mebibytes(256), peer.Memory);
        Assert.Equal(checkout.Layout.GuestTests.Image, boot.Dom0.Image);
        Assert.Contains("shift=0,sleep=off", boot.Machine.Arguments);
    }

    [Fact]
    public void Only_keeps_the_families_it_names()
    {
        using var checkout = new FakeCheckout();
        Assert.Equal(new[] { "dtb" }, GuestBenchmark.Plan(checkout.Layout, "4.17", false, new[] { "dtb" }).Select(b => b.Name));
        Assert.Equal(new[] { "map-gicv3", "map-gicv2" }, GuestBenchmark.Plan(checkout.Layout, "4.17", false, new[] { "map" }).Select(b => b.Name));
        // Bare, there is no peer to map: the DTB benchmark alone.
        Assert.Equal(new[] { "dtb" }, GuestBenchmark.Plan(checkout.Layout, "4.17", true, Array.Empty<string>()).Select(b => b.Name));
    }

    [Theory]
    [InlineData(false, "maps", "--only takes dtb or map, not 'maps'")]
    [InlineData(true, "map", "--only map needs Xen (dom0 maps a domU's pages): it cannot be combined with --bare")]
    public void A_benchmark_that_cannot_run_is_named(bool bare, string only, string message)
    {
        using var checkout = new FakeCheckout();
        var e = Assert.Throws<LaunchException>(() => GuestBenchmark.Plan(checkout.Layout, "4.17", bare, new[] { only }));
        Assert.Equal(message, e.Message);
    }
}
