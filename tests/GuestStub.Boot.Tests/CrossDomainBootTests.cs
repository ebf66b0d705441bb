using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 12 on real Xen 4.17: dom0 and two dom0less domUs, all the stub and with no stub
/// arguments, in one boot. Each domU's frontend grants a page to dom0 and opens a channel; dom0's
/// backend finds them (by static event channel, or by probing the domains), maps each page twice
/// (read-write, read-only) into its scratch pages, replies and notifies, maps one of the domU's
/// frames with a foreign batch and its grant table with acquire_resource, and unmaps it all. The
/// error paths are asked of Xen on purpose and must be refused. A peer that never shows up is
/// reported after a bounded wait.
/// </summary>
public class CrossDomainBootTests
{
    private static readonly string[] PeerSteps = { "grant-map", "grant-map-ro", "evtchn", "foreign-map", "acquire-grant-table" };

    [Theory]
    [InlineData(3, false)]
    [InlineData(3, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void Dom0_maps_both_domUs_grants_and_foreign_pages_and_each_side_reads_ok(int gic, bool staticEventChannels)
    {
        BootRun run = Boots.XenWithDomU(new BootShape
        {
            Gic = (GuestStub.Launch.Machine.GicVersion)gic, DomUs = 2, StaticEventChannels = staticEventChannels, Timeout = TimeSpan.FromSeconds(120),
        });
        Assert.True(run.Outcome.PoweredOff, run.Describe());

        // Dom0's backend, every step for each peer, found the way the configuration says.
        Assert.Equal("2", run.Report("peers.found"));
        string how = staticEventChannels ? "static event channel, port 1" : "probe";
        Assert.Contains(run.GuestLines(), l => l.StartsWith($"GuestStub: peers: 2 found: domain 1 ({how}", StringComparison.Ordinal));
        foreach (int domid in new[] { 1, 2 })
            foreach (string step in PeerSteps)
                Assert.True(run.Report($"peer.{domid}.{step}") == "ok", $"peer.{domid}.{step}\n{run.Describe()}");
        Assert.Equal("ok", run.Report("status"));
        Assert.Equal("ok", run.Report("domains.wait"));

        // Each domU's frontend: dom0's reply through the upcall, access ended after dom0 unmapped.
        foreach (int domid in new[] { 1, 2 })
        {
            Dictionary<string, string> domU = run.DomUReport(domid);
            Assert.Equal(staticEventChannels ? "static" : "allocated", domU["frontend.channel"]);
            Assert.Equal("ok", domU["frontend.backend-reply"]);
            Assert.Equal("ok", domU["frontend.end-access"]);
            Assert.Equal("ok", domU["status"]);
        }

        // Static ports are the ones the host tree names (StaticEventChannelPorts: dom0 10 + i, domU 10).
        if (staticEventChannels)
        {
            Assert.True(run.GuestLines().Any(l => l.Contains("domain 2 (static event channel, port 12)", StringComparison.Ordinal)), run.Describe());
            Assert.True(run.Domain(1).Lines.Any(l => l == "GuestStub: frontend: page granted to dom0 at ref 9, static event channel port 10: ok"),
                run.Describe());
        }
    }

    [Fact]
    public void The_run_commands_domu_boots_dom0_and_two_domUs_and_every_key_reads_ok()
    {
        // As a user types it (README): no stub arguments, QEMU exits by itself.
        var (code, output) = ToolRunner.Run("dotnet", RepoPaths.Cli, "run", "--domu", "--xen", RepoPaths.XenChoice);
        Assert.True(code == 0, output);
        string[] lines = GuestStub.Launch.Serial.ConsoleSplitter.Split(output.Split('\n'), underXen: true).Select(l => l.Raw).ToArray();
        foreach (int domid in new[] { 1, 2 })
        {
            foreach (string step in PeerSteps)
                Assert.Contains($"report peer.{domid}.{step} ok", lines);
            Assert.Contains($"(d{domid}) report frontend.backend-reply ok", lines);
            Assert.Contains($"(d{domid}) report frontend.end-access ok", lines);
            Assert.Contains($"(d{domid}) report status ok", lines);
        }
        Assert.Contains("report status ok", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("(d3)", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_error_path_is_refused_by_Xen_and_named()
    {
        BootRun run = Boots.XenWithDomU(new BootShape { DomUs = 1, Timeout = TimeSpan.FromSeconds(120) });
        Assert.True(run.Outcome.PoweredOff, run.Describe());

        // A foreign map of dom0's own RAM by DOMID_SELF: arch/arm/mm.c xenmem_add_to_physmap_one.
        Assert.Equal("ok (-EINVAL)", run.Report("errpath.foreign-self"));
        run.Find(@"^GuestStub: error path: a foreign map of dom0's own RAM: refused as it must be: "
            + @"XENMEM_add_to_physmap_batch\(gmfn_foreign\) gfn=0x[0-9a-f]+ dom=32752: -EINVAL \(-22\)$");
        // A batch of the peer's good frame and a frame it does not have: errs[1] names the bad one.
        Assert.Equal("ok (-EINVAL)", run.Report("errpath.batch-bad-frame"));
        Assert.Contains("GuestStub: error path: a foreign batch with one bad frame: refused as it must be: "
            + "XENMEM_add_to_physmap_batch(gmfn_foreign) idx=1 gfn=0x1000000 dom=1: -EINVAL (-22)", run.GuestLines());
        // A ref the frontend never granted: the GNTST_ status is named.
        Assert.Equal("ok (GNTST_general_error)", run.Report("errpath.ungranted-ref"));
        Assert.Contains(run.GuestLines(), l => l.StartsWith(
            "GuestStub: error path: a map of a ref never granted: refused as it must be: GNTTABOP_map_grant_ref idx=10 dom=1: GNTST_",
            StringComparison.Ordinal));
        // Each was undone: the boot goes on to serve the peer and tears everything down.
        Assert.Equal("ok", run.Report("peer.1.grant-map"));
        Assert.Null(run.Report("peer.1.teardown"));
        Assert.Equal("ok", run.Report("teardown"));
        Assert.Equal("ok", run.Report("status"));
    }

    [Fact]
    public void A_peer_that_never_shows_up_is_reported_after_the_bound_and_the_machine_still_powers_off()
    {
        BootRun run = Boots.XenWithDomU(new BootShape
        {
            DomUs = 1, DomUImage = SilentDomU.Image(), Timeout = TimeSpan.FromSeconds(120),
        });
        Assert.True(run.Outcome.PoweredOff, run.Describe());

        Assert.Equal("1", run.Report("peers.found"));
        Assert.Equal("nothing within 15000 ms idx=9 dom=1", run.Report("peer.1.grant-map"));
        foreach (string step in PeerSteps.Skip(1))
            Assert.Equal("skipped", run.Report($"peer.1.{step}"));
        Assert.Equal("error nothing within 15000 ms idx=9 dom=1", run.Report("status"));
        // Nothing was left mapped or held: the scratch pool and Xen teardown both report ok.
        Assert.Equal("ok", run.Report("teardown"));
        // The silent domain powers itself off after 20 s; dom0 saw it go before halting.
        Assert.Equal("ok", run.Report("domains.wait"));
    }
}

/// <summary>tests/fixtures/xen/silent-domu.S built into an arm64 Image, once per test run.</summary>
internal static class SilentDomU
{
    private static readonly Lazy<string> Built = new(Build);

    public static string Image() => Built.Value;

    private static string Build()
    {
        string dir = RepoPaths.TempDirectory("silent-domu");
        string source = Path.Combine(RepoPaths.Root, "tests", "fixtures", "xen", "silent-domu.S");
        string obj = Path.Combine(dir, "silent-domu.o"), elf = Path.Combine(dir, "silent-domu.elf"), image = Path.Combine(dir, "silent-domu.img");
        Step("clang-14", "--target=aarch64-none-elf", "-c", source, "-o", obj);
        Step("ld.lld-14", "-Ttext=0", "-e", "_start", obj, "-o", elf);
        Step("llvm-objcopy-14", "-O", "binary", elf, image);
        return image;
    }

    private static void Step(string tool, params string[] args)
    {
        var (code, output) = ToolRunner.Run(tool, args);
        if (code != 0)
            throw new InvalidOperationException($"{tool} failed building the silent domU: {output}");
    }
}
