using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 4 under real Xen 4.17: shared_info and the grant table set up, self-tested and torn
/// down, as dom0 (guest-loader) and as a dom0less domU (the launcher's host tree, the
/// same as gueststub run --domu), each with region 0 and with gnttab=ballooned. The
/// report is checked against what Xen itself logged ("Grant table range", the domU's memory).
/// </summary>
public class XenGrantTableBootTests
{
    [Fact]
    public void Dom0_maps_the_grant_table_at_the_range_Xen_logged()
    {
        BootRun run = Boots.XenDom0();
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        string logged = XenRange(run.Find(@"Grant table range: 0x([0-9a-f]+)-0x([0-9a-f]+)"));
        Assert.Equal(logged, run.Report("grant.region0"));
        Assert.Equal("region0", run.Report("grant.method"));
        Assert.Equal(logged, run.Report("grant.range")); // 64 frames: all of region 0
        Assert.Equal("ok", run.Report("grant.selftest"));
        Assert.Equal("ok", run.Report("teardown"));
        Assert.Equal("ok", run.Report("status"));
    }

    [Fact]
    public void Dom0_gnttab_ballooned_maps_the_frames_at_its_own_RAM()
    {
        // Both fallbacks in one boot: grant frames and the scratch page at ballooned RAM.
        BootRun run = Boots.XenDom0(new BootShape { Append = "gnttab=ballooned gueststub.scratch=ballooned" });
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        var bank = run.Find(@"BANK\[0\] 0x([0-9a-f]+)-0x([0-9a-f]+)");
        ulong ramStart = Convert.ToUInt64(bank.Groups[1].Value, 16), ramEnd = Convert.ToUInt64(bank.Groups[2].Value, 16);
        Assert.Equal("ballooned", run.Report("grant.method"));
        Assert.Equal("forced-off", run.Report("grant.region0.verdict"));
        (ulong start, ulong end) = ParseRange(run.Report("grant.range")!);
        Assert.True(start >= ramStart && end <= ramEnd, run.Describe());
        Assert.Equal("ok", run.Report("grant.selftest"));
        // The scratch page: a RAM page given back with decrease_reservation, the grant mapped at
        // it, repopulated (Xen accepts only gfn == mfn for the direct-mapped dom0).
        Assert.Equal("ballooned", run.Report("scratch.method"));
        Assert.Equal("ok", run.Report("scratch.selftest"));
        ulong scratch = Convert.ToUInt64(run.Find(@"self-test page 0x([0-9a-f]+)").Groups[1].Value, 16);
        Assert.True(scratch >= ramStart && scratch < ramEnd, run.Describe());
        Assert.Equal("ok", run.Report("teardown"));
        Assert.Equal("ok", run.Report("status"));
    }

    /// <summary>
    /// Issue 4: initialising again after teardown succeeds, on real Xen. The second run maps the
    /// same grant frames and shared_info again, which Xen 4.17 refuses with -EBUSY unless the
    /// first run's teardown really removed them (remove_from_physmap) and repopulated its pages.
    /// </summary>
    [Theory]
    [InlineData("gueststub.boots=2", "region0")]
    [InlineData("gueststub.boots=2 gnttab=ballooned gueststub.scratch=ballooned", "ballooned")]
    public void Dom0_sets_up_tears_down_and_sets_up_again_in_one_boot(string bootargs, string method)
    {
        BootRun run = Boots.XenDom0(new BootShape { Append = bootargs });
        run.AssertPoweredOff();
        Assert.Equal(new[] { "1", "2" }, run.ReportAll("boot.run"));
        Assert.Equal(new[] { "ok", "ok" }, run.ReportAll("status"));
        Assert.Equal(new[] { "ok", "ok" }, run.ReportAll("teardown"));
        Assert.Equal(new[] { "ok", "ok" }, run.ReportAll("grant.selftest"));
        Assert.Equal(new[] { "ok", "ok" }, run.ReportAll("scratch.selftest"));
        // Every port of the first run was closed and its PPI disabled: the second starts clean.
        Assert.Equal(new[] { "ok", "ok" }, run.ReportAll("evtchn.upcall"));
        Assert.Equal(new[] { method, method }, run.ReportAll("grant.method"));
        var ranges = run.ReportAll("grant.range");
        Assert.Equal(2, ranges.Count);
        Assert.Equal(ranges[0], ranges[1]);
        var sharedInfo = run.ReportAll("shared_info");
        Assert.Equal(2, sharedInfo.Count);
        Assert.Equal(sharedInfo[0], sharedInfo[1]);
    }

    [Theory]
    [InlineData("", "region0")]
    [InlineData("gnttab=ballooned", "ballooned")]
    public void Dom0_and_a_dom0less_domU_both_set_up_and_tear_down(string bootargs, string method)
    {
        BootRun run = Boots.XenWithDomU(new BootShape { Append = bootargs });
        Assert.True(run.Outcome.PoweredOff, run.Describe());
        Assert.Equal(method, run.Report("grant.method"));
        Assert.Equal("ok", run.Report("status"));

        Dictionary<string, string> domU = run.DomUReport();
        Assert.Equal("1", domU["domid"]);
        Assert.Equal("0x38000000-0x39000000", domU["grant.region0"]);
        Assert.Equal(method, domU["grant.method"]);
        if (method == "region0")
        {
            Assert.Equal("0x38000000-0x38040000", domU["grant.range"]); // region 0, limited to the 64 frames
        }
        else
        {
            var bank = run.Find(@"d1 BANK\[0\] 0x([0-9a-f]+)-0x([0-9a-f]+)");
            (ulong start, ulong end) = ParseRange(domU["grant.range"]);
            Assert.True(start >= Convert.ToUInt64(bank.Groups[1].Value, 16) && end <= Convert.ToUInt64(bank.Groups[2].Value, 16), run.Describe());
        }
        Assert.Equal("ok", domU["grant.selftest"]);
        Assert.Equal("ok", domU["teardown"]);
        Assert.Equal("ok", domU["status"]);

        // Issue 5 in the same boot: both domains' extended regions as Xen logged them, the
        // domU's 1 TiB region clamped to the identity map, a scratch page proven in each.
        ExtendedRegionChecks.RegionsMatchXensLog(run, 0, run.GuestLines());
        ExtendedRegionChecks.RegionsMatchXensLog(run, 1, ExtendedRegionChecks.DomULines(run));
        Assert.Equal("0x48000000-0x8000000000", domU["ext.resource"]);
        Assert.Equal("0x0-0x8000000000", domU["ext.clamp"]);
        Assert.Equal("0x100000000-0x200000000", domU["ext.hole"]);
        Assert.Equal("ok", domU["scratch.selftest"]);
        Assert.Equal("ok", run.Report("scratch.selftest"));
        if (method == "region0")
        {
            string[] golden = ExtendedRegionChecks.Golden("xen-domu.report");
            Assert.Equal(golden, GuestStub.Tests.Reports.GoldenReport.Normalise(golden, ExtendedRegionChecks.ReportLines(ExtendedRegionChecks.DomULines(run))));
        }
    }

    private static string XenRange(System.Text.RegularExpressions.Match m) =>
        $"0x{Convert.ToUInt64(m.Groups[1].Value, 16):x}-0x{Convert.ToUInt64(m.Groups[2].Value, 16):x}";

    private static (ulong Start, ulong End) ParseRange(string text)
    {
        string[] parts = text.Split('-');
        return (Convert.ToUInt64(parts[0][2..], 16), Convert.ToUInt64(parts[1][2..], 16));
    }
}
