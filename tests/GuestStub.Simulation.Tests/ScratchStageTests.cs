using System.Linq;
using GuestStub.Memory;
using GuestStub.Tests.TestSupport;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// Stage 2 of the boot against the model: extended regions registered and reported, the
/// scratch pool over the target resource or over ballooned RAM (the fallback, a real
/// IBalloonSource over decrease_reservation / populate_physmap), the grant self-test mapped at a
/// scratch page, and a teardown after which the model's books balance, also when Xen refuses.
/// </summary>
public class ScratchStageTests
{
    /// <summary>A dom0less domU as Xen 4.17 builds it on QEMU virt: region 0 at 0x38000000, the
    /// 2.9 GiB region below 4 GiB and the 1 TiB one above 8 GiB.</summary>
    private static byte[] DomUWithTerabyteRegion(string bootargs = "gueststub.domid=1") => Tools.CompileSource($$"""
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>;
            memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x8000000>; };
            hypervisor {
                compatible = "xen,xen-4.17", "xen,xen";
                reg = <0x0 0x38000000 0x0 0x1000000>, <0x0 0x48000000 0x0 0xb8000000>, <0x2 0x0 0xfe 0x0>;
            };
            chosen { bootargs = "{{bootargs}}"; };
        };
        """);

    [Fact]
    public void Dom0_serves_the_self_test_page_from_the_first_chunk()
    {
        SimulatedXen? model = null;
        var r = Guests.BootDom0(Guests.Dom0(), m => model = m);
        Assert.Equal(new[] { "0x40400000-0x50000000", "0x70000000-0x80000000" }, Values(r, "ext.region"));
        Assert.Equal("0x0-0x8000000000", r.Report("ext.clamp"));
        Assert.Equal("0x40400000-0x80000000", r.Report("ext.resource"));
        Assert.Equal(new[] { "0x50000000-0x70000000" }, Values(r, "ext.hole"));
        Assert.Equal("resource", r.Report("scratch.method"));
        Assert.Equal(new[] { "0x48000000-0x50000000" }, Values(r, "scratch.chunk")); // first 128 MiB-aligned slot
        Assert.Equal("32767", r.Report("scratch.pages.free"));
        Assert.Equal("1", r.Report("scratch.pages.used"));
        Assert.Equal("ok", r.Report("scratch.selftest"));
        Assert.Equal("ok", r.Report("status"));
        Assert.Contains(model!.CallLog, l => l.StartsWith("GNTTABOP_map_grant_ref(ref 8, dom 0, host 0x48000000) status 0"));
        Assert.DoesNotContain(model.CallLog, l => l.StartsWith("XENMEM_decrease_reservation") && !l.Contains("0x6ffff")); // only shared_info's
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void DomU_reports_the_terabyte_region_and_clamps_it_to_the_identity_map()
    {
        var r = Guests.BootDomU(DomUWithTerabyteRegion());
        Assert.Equal(new[] { "0x48000000-0x100000000", "0x200000000-0x10000000000" }, Values(r, "ext.region"));
        Assert.Equal("0x0-0x8000000000", r.Report("ext.clamp"));
        Assert.Equal("0x48000000-0x8000000000", r.Report("ext.resource"));
        Assert.Equal(new[] { "0x100000000-0x200000000" }, Values(r, "ext.hole"));
        Assert.Equal(new[] { "0x48000000-0x50000000" }, Values(r, "scratch.chunk"));
        Assert.Equal("ok", r.Report("scratch.selftest"));
        Assert.Equal("ok", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void A_smaller_clamp_cuts_the_resource_and_skips_the_holes_beyond_it()
    {
        var r = SimulatedBoot.Run(DomUWithTerabyteRegion(), null, ram => SimulatedXenOptions.ForDomU(ram),
            place: new GuestPlacement { AddressableLimit = 1UL << 32 });
        Assert.Equal("0x0-0x100000000", r.Report("ext.clamp"));
        Assert.Equal("0x48000000-0x100000000", r.Report("ext.resource"));
        Assert.Empty(Values(r, "ext.hole"));
        Assert.Equal("ok", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Without_regions_scratch_pages_are_ballooned_ram_and_repopulated(bool domU)
    {
        SimulatedXen? model = null;
        var r = domU
            ? Guests.BootDomU(Guests.DomU("gueststub.domid=1 gueststub.scratch=ballooned"), m => model = m)
            : Guests.BootDom0(Guests.Dom0NoRegion(), m => model = m);
        Assert.Equal("ballooned", r.Report("scratch.method"));
        Assert.Empty(Values(r, "scratch.chunk"));
        Assert.Equal("0", r.Report("scratch.pages.free"));
        Assert.Equal("1", r.Report("scratch.pages.used"));
        Assert.Equal("ok", r.Report("scratch.selftest"));
        Assert.Equal("ok", r.Report("status"));
        // The self-test page: decreased, the grant mapped at its frame, repopulated. (The first
        // map: ext-regions.usable's come after it, at region pages, where the node has regions.)
        string map = model!.CallLog.First(l => l.StartsWith("GNTTABOP_map_grant_ref"));
        string host = map[(map.IndexOf("host 0x") + 7)..map.IndexOf(')')];
        ulong gfn = System.Convert.ToUInt64(host, 16) >> 12;
        Assert.Contains(model.CallLog, l => l.StartsWith("XENMEM_decrease_reservation") && l.Contains($"first gpfn 0x{gfn:x})"));
        Assert.Contains(model.CallLog, l => l.StartsWith("XENMEM_populate_physmap") && l.Contains($"first gpfn 0x{gfn:x})"));
        Assert.True(model.IsRam(gfn));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void Regions_over_ram_are_rejected_and_the_pool_falls_back()
    {
        // Region 1 covers RAM (0x50000000-0x70000000): rejected; nothing is left.
        var r = Guests.BootDom0(Guests.Dom0(regions: "<0x0 0x40200000 0x0 0x40000>, <0x0 0x48000000 0x0 0x10000000>"));
        Assert.Equal("0x48000000-0x58000000 overlaps-ram 0x50000000-0x70000000", r.Report("ext.rejected"));
        Assert.Equal("none all-rejected", r.Report("ext.resource"));
        Assert.Equal("ballooned", r.Report("scratch.method"));
        Assert.Equal("ok", r.Report("scratch.selftest"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void A_region_over_the_dtb_is_rejected_naming_it()
    {
        var r = SimulatedBoot.Run(Guests.Dom0(), null, ram => SimulatedXenOptions.ForDom0(ram),
            place: new GuestPlacement { DtbAddress = 0x7000_0000 });
        Assert.StartsWith("0x70000000-0x80000000 overlaps-dtb 0x70000000-", r.Report("ext.rejected"));
        Assert.Equal("0x40400000-0x50000000", r.Report("ext.resource"));
        Assert.Equal("ok", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void A_refused_decrease_reservation_names_the_call_and_leaks_nothing()
    {
        // Dom0 without regions: decrease #1 is shared_info's, #2 the scratch page's.
        var r = Guests.BootDom0(Guests.Dom0("gueststub.scratch=ballooned"), m => m.FailNth(XenCall.DecreaseReservation, 2, XenErrno.ENOMEM));
        Assert.StartsWith("XENMEM_decrease_reservation gfn=0x", r.Report("scratch.selftest"));
        Assert.EndsWith(": -ENOMEM (-12)", r.Report("scratch.selftest"));
        Assert.StartsWith("error XENMEM_decrease_reservation", r.Report("status"));
        Assert.Equal("ok", r.Report("grant.selftest")); // the grant itself was fine
        Assert.Equal("ok", r.Report("teardown"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void A_refused_populate_is_retried_at_teardown()
    {
        // populate #1 returns the scratch page after the self-test; teardown tries again.
        var r = Guests.BootDom0(Guests.Dom0("gueststub.scratch=ballooned"), m => m.FailNth(XenCall.PopulatePhysmap, 1, XenErrno.ENOMEM));
        Assert.StartsWith("XENMEM_populate_physmap gfn=0x", r.Report("scratch.selftest"));
        Assert.Equal("ok", r.Report("teardown"));
        Assert.StartsWith("error XENMEM_populate_physmap", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void A_populate_refused_twice_leaves_exactly_that_page_ballooned_and_says_so()
    {
        // populate #1 returns the self-test page, #2 the page of dom0's foreign-map-of-self error
        // path, #3 is teardown's second try at the self-test page.
        var r = Guests.BootDom0(Guests.Dom0("gueststub.scratch=ballooned"),
            m => m.FailNth(XenCall.PopulatePhysmap, 1, XenErrno.ENOMEM).FailNth(XenCall.PopulatePhysmap, 3, XenErrno.ENOMEM));
        Assert.StartsWith("XENMEM_populate_physmap gfn=0x", r.Report("teardown"));
        Assert.Contains("1 pages still ballooned", r.Output);
        Assert.True(r.BooksProblems.Count == 2 && r.BooksProblems.All(p => p.Contains("0x6fffe")), string.Join("\n", r.BooksProblems));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gueststub.scratch=ballooned")]
    public void A_refused_map_grant_ref_fails_the_scratch_self_test_only(string? bootargs)
    {
        var r = Guests.BootDom0(Guests.Dom0(bootargs), m => m.FailNth(XenCall.GnttabMapGrantRef, 1, XenErrno.EPERM));
        Assert.Equal("GNTTABOP_map_grant_ref idx=8: -EPERM (-1)", r.Report("scratch.selftest"));
        Assert.Equal("ok", r.Report("grant.selftest"));
        Assert.Equal("ok", r.Report("teardown"));
        Assert.Equal("error GNTTABOP_map_grant_ref idx=8: -EPERM (-1)", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void A_failed_unmap_keeps_the_page_out_of_the_pool()
    {
        var r = Guests.BootDom0(Guests.Dom0(), m => m.FailNth(XenCall.GnttabUnmapGrantRef, 1, XenErrno.EINVAL));
        Assert.StartsWith("GNTTABOP_unmap_grant_ref gfn=0x48000: -EINVAL", r.Report("scratch.selftest"));
        Assert.Contains("(page 0x48000000 still used)", r.Output);
        Assert.Contains(r.BooksProblems, p => p.Contains("grant mapping"));
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(false, "gueststub.scratch=ballooned")]
    [InlineData(true, "gueststub.domid=1")]
    [InlineData(true, "gueststub.domid=1 gueststub.scratch=ballooned gnttab=ballooned")]
    public void Booting_twice_serves_the_same_scratch_page_and_the_books_balance(bool domU, string? bootargs)
    {
        byte[] dtb = domU ? Guests.DomU(bootargs) : Guests.Dom0(bootargs);
        using SimulatedXen xen = SimulatedBoot.CreateModel(dtb, ram => domU ? SimulatedXenOptions.ForDomU(ram) : SimulatedXenOptions.ForDom0(ram));
        var first = SimulatedBoot.Run(xen, dtb, null);
        Assert.Empty(first.BooksProblems);
        var second = SimulatedBoot.Run(xen, dtb, null);
        // A domU alone: its frontend waits for a dom0 in vain, then gives its page and port back.
        Assert.Equal("ok", second.Report("status")); // a domU alone skips its frontend
        Assert.Equal(first.ReportLines.Where(l => l.StartsWith("report scratch.") || l.StartsWith("report ext.")),
            second.ReportLines.Where(l => l.StartsWith("report scratch.") || l.StartsWith("report ext.")));
        Assert.Empty(second.BooksProblems);
    }

    private static string[] Values(SimulatedBootResult r, string key) =>
        r.ReportLines.Where(l => l.StartsWith($"report {key} ")).Select(l => l[$"report {key} ".Length..]).ToArray();
}
