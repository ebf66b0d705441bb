using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using GuestStub.Launch.Bench;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 23's scale check on real Xen: the test image as dom0 (<c>guest-tests.bench=map-scale</c>)
/// and as a 256 MiB dom0less domU (<c>guest-tests.bench=map-peer</c>) in one boot. The domU writes
/// a pattern into every RAM page it can give up and publishes where; dom0 maps the domU's whole
/// RAM with XENMEM_add_to_physmap_batch at Xen's largest batch into one run of scratch pages in
/// its extended region, reads every page, unmaps them all, and asks Xen once more for every page
/// of the run, which must have nothing mapped. The launcher boots it: the test image's shape
/// with one domU, each domain given its own arguments and the domU its 256 MiB.
/// </summary>
public class MapBenchBootTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void Dom0_maps_a_whole_256_MiB_domU_in_one_pass_reads_every_page_it_wrote_and_undoes_every_mapping(int gic)
    {
        BootRun run = Boot("map-scale", gic);
        run.AssertPoweredOff();
        Assert.DoesNotContain(run.GuestLines(), l => l.Contains("guest-bench: FAIL", StringComparison.Ordinal));
        Dictionary<string, string> peer = run.DomUReport();

        // Every frame of the domU's RAM, in Xen's largest batches: 65535 and 1.
        Assert.Equal("65536", peer["bench.peer.ram_pages"]);
        Assert.Equal("65536", run.Report("bench.whole.frames"));
        Assert.Equal("2", run.Report("bench.whole.map.calls"));
        Assert.Equal("65536", run.Report("bench.whole.mapped"));
        Assert.Equal("0", run.Report("bench.whole.refused"));

        // Every page the domU wrote its pattern into read back intact: nearly all of its RAM
        // (it keeps its image, its tree and its control page).
        long written = long.Parse(peer["bench.peer.pattern_pages"]);
        Assert.True(written > 64000, $"the peer wrote only {written} pages\n{run.Describe()}");
        Assert.Equal(peer["bench.peer.pattern_pages"], run.Report("bench.whole.checked"));
        Assert.Equal("0", run.Report("bench.whole.bad"));
        Assert.Equal((65536 - written).ToString(), run.Report("bench.whole.unread"));

        // Every mapping undone, as Xen sees it: each page of the run answered -ENOENT afterwards,
        // and the domU could end access to every grant.
        Assert.Equal("65536", run.Report("bench.whole.unmapped"));
        Assert.Equal("0", run.Report("bench.whole.left_mapped"));
        Assert.Equal("ok", run.Report("bench.whole.verdict"));
        Assert.Equal("0", peer["bench.peer.still_mapped"]);
        Assert.Equal("ok", run.Report("bench.map.peer_finished"));

        // One run of scratch pages, inside dom0's extended region (0x40400000-0x70000000 here).
        Match at = run.Find(@"^guest-bench: whole domain 1: 65536 RAM frames mapped in 2 calls at scratch 0x([0-9a-f]+)-0x([0-9a-f]+) ");
        ulong start = Convert.ToUInt64(at.Groups[1].Value, 16), end = Convert.ToUInt64(at.Groups[2].Value, 16);
        Assert.Equal(65536UL << 12, end - start);
        Assert.True(start >= 0x40400000 && end <= 0x70000000, run.Describe());
        Assert.Contains(run.GuestLines(), l => l == "guest-bench: map: torn down: ok, scratch pool ok, 0 runs of RAM still out");
    }

    /// <summary>The benchmark's boot as <c>gueststub bench-guest</c> describes it (dom0 and a
    /// 256 MiB domU, both the test image with their own arguments, under Xen), without
    /// <c>-icount</c>: this test counts pages, not instructions.</summary>
    private static BootRun Boot(string dom0Bench, int gic)
    {
        BootDescription boot = GuestBenchmark.MapBoot(Boots.Layout, RepoPaths.XenChoice, gic == 2 ? GicVersion.V2 : GicVersion.V3, dom0Bench);
        boot = boot with { Machine = boot.Machine with { Icount = false }, Timeout = TimeSpan.FromSeconds(180) };
        return GuestStub.Launch.Running.Launcher.Run(boot, RepoPaths.TempDirectory("mapbench"));
    }
}
