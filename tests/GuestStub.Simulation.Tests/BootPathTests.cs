using System;
using System.Linq;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>Both grant-table paths, for a dom0 and a domU, end to end against the model.</summary>
public class BootPathTests
{
    [Fact]
    public void Dom0_maps_the_grant_table_at_region0_highest_frame_first()
    {
        SimulatedXen? model = null;
        var r = Guests.BootDom0(Guests.Dom0(), m => model = m);
        Assert.Empty(r.BooksProblems);
        Assert.Equal("ok", r.Report("status"));
        Assert.Equal("xen-4.17", r.Report("hypervisor"));
        Assert.Equal("0", r.Report("domid"));
        Assert.Equal("region0", r.Report("grant.method"));
        Assert.Equal("0x40200000-0x40240000", r.Report("grant.region0"));
        Assert.Equal("0x40200000-0x40240000", r.Report("grant.range"));
        Assert.Equal("64", r.Report("grant.frames"));
        Assert.Equal("ok", r.Report("grant.selftest"));
        Assert.Equal("ok", r.Report("teardown"));
        string firstGrantMap = model!.CallLog.First(l => l.StartsWith("XENMEM_add_to_physmap(space 1"));
        Assert.Contains("idx 63, gpfn 0x4023f", firstGrantMap);
    }

    [Fact]
    public void Report_keys_come_in_the_documented_order()
    {
        var r = Guests.BootDom0(Guests.Dom0());
        string[] keys = r.ReportLines.Select(l => l.Split(' ')[1]).Where(k => !k.StartsWith("check.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[]
        {
            "hypervisor", "xen.features", "domid", "shared_info", "grant.nr_frames", "grant.max_nr_frames",
            "grant.policy", "grant.region0", "grant.region0.verdict", "grant.method", "grant.range", "grant.frames",
            "evtchn.ppi", "evtchn.upcall", "evtchn.upcall.latency_ticks",
            "ext.region", "ext.region", "ext.clamp", "ext.resource", "ext.hole",
            "ext.unadvertised", "ext.unadvertised", "ext.unadvertised", "ext.unadvertised", "ext.unadvertised", "ext.unadvertised.total",
            "scratch.method", "scratch.chunk", "scratch.pages.free", "scratch.pages.used", "scratch.selftest",
            "peers.found", "errpath.foreign-self",
            "grant.selftest", "teardown", "status", "domains.others", "domains.wait",
        }, keys);
    }

    [Fact]
    public void Dom0_gnttab_ballooned_uses_ballooned_ram_pages()
    {
        var r = Guests.BootDom0(Guests.Dom0("gnttab=ballooned"));
        Assert.Empty(r.BooksProblems);
        Assert.Equal("ok", r.Report("status"));
        Assert.Equal("ballooned", r.Report("grant.method"));
        Assert.Equal("forced-off", r.Report("grant.region0.verdict"));
        Assert.Equal("0x40200000-0x40240000", r.Report("grant.region0"));
        Assert.Equal("0x6ffbf000-0x6ffff000", r.Report("grant.range")); // below shared_info at the top of RAM
        Assert.Equal("0x6ffff000", r.Report("shared_info"));
    }

    [Fact]
    public void Without_region0_the_stub_falls_back_to_ballooned_pages()
    {
        var r = Guests.BootDom0(Guests.Dom0NoRegion());
        Assert.Empty(r.BooksProblems);
        Assert.Equal("ok", r.Report("status"));
        Assert.Equal("none", r.Report("grant.region0"));
        Assert.Equal("absent", r.Report("grant.region0.verdict"));
        Assert.Equal("ballooned", r.Report("grant.method"));
    }

    [Fact]
    public void Frame_count_is_max_nr_frames_capped_at_64()
    {
        var r = Guests.BootDom0(Guests.Dom0(), maxFrames: 128);
        Assert.Equal("region0", r.Report("grant.method"));
        Assert.Equal("64", r.Report("grant.frames"));
        Assert.Equal("128", r.Report("grant.max_nr_frames"));
        var small = Guests.BootDom0(Guests.Dom0(), maxFrames: 32);
        Assert.Equal("0x40200000-0x40220000", small.Report("grant.range"));
        Assert.Equal("32", small.Report("grant.frames"));
    }

    [Theory]
    [InlineData("<0x0 0x40200000 0x0 0x10000>", "too-small")]
    [InlineData("<0x0 0x40200800 0x0 0x40000>", "misaligned")]
    [InlineData("<0x0 0x6ff00000 0x0 0x40000>", "overlaps-ram")]
    public void Unusable_region0_falls_back_to_ballooned(string region0, string verdict)
    {
        var r = Guests.BootDom0(Guests.Dom0(regions: region0));
        Assert.Equal(verdict, r.Report("grant.region0.verdict"));
        Assert.Equal("ballooned", r.Report("grant.method"));
        Assert.Equal("ok", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void DomU_maps_region0_at_0x38000000_limited_to_the_frames_mapped()
    {
        var r = Guests.BootDomU(Guests.DomU());
        Assert.Empty(r.BooksProblems);
        Assert.Equal("ok", r.Report("status"));
        Assert.Equal("1", r.Report("domid"));
        Assert.Equal("0x38000000-0x39000000", r.Report("grant.region0"));
        Assert.Equal("0x38000000-0x38040000", r.Report("grant.range"));
        Assert.Equal("ok", r.Report("grant.selftest"));
    }

    [Fact]
    public void DomU_ballooned_gives_pages_back_and_gets_fresh_ones()
    {
        var r = Guests.BootDomU(Guests.DomU("gueststub.domid=1 gnttab=ballooned"));
        Assert.Empty(r.BooksProblems);
        Assert.Equal("ok", r.Report("status"));
        Assert.Equal("ballooned", r.Report("grant.method"));
    }

    [Theory]
    [InlineData((ushort)1)]
    [InlineData((ushort)3)]
    public void A_domU_learns_its_domid_from_xen_without_boot_arguments(ushort domid)
    {
        SimulatedXen? model = null;
        var r = Guests.BootDomU(Guests.DomU(null), m => model = m, domid: domid);
        Assert.Empty(r.BooksProblems);
        Assert.Equal(domid.ToString(), r.Report("domid"));
        Assert.Equal("ok", r.Report("grant.selftest"));
        Assert.Equal("ok", r.Report("status"));
        // alloc_unbound(DOMID_SELF, DOMID_SELF), status on that port, close it again.
        Assert.Contains(model!.CallLog, l => l.StartsWith("EVTCHNOP_alloc_unbound(dom 32752, remote 32752) -> port 1"));
        Assert.Contains(model.CallLog, l => l.StartsWith("EVTCHNOP_status(dom 32752, port 1) -> 1"));
    }

    [Fact]
    public void A_gueststub_domid_that_disagrees_with_xen_is_an_error_naming_both()
    {
        var r = Guests.BootDomU(Guests.DomU("gueststub.domid=2"));
        Assert.Empty(r.BooksProblems);
        Assert.Equal("error gueststub.domid=2 but Xen says this is domain 1", r.Report("status"));
        Assert.Equal("skipped", r.Report("grant.selftest"));
        Assert.Equal("ok", r.Report("teardown"));
    }

    [Fact]
    public void Unreachable_region0_falls_back()
    {
        // Scratch pages from ballooned RAM: the extended regions lie above the limit too.
        byte[] dtb = Guests.Dom0("gueststub.scratch=ballooned");
        var r = SimulatedBoot.Run(dtb, null, ram => new SimulatedXenOptions
        {
            Kind = SimulatedDomainKind.Dom0, Ram = ram, ReachableLimit = 0x4000_0000,
        });
        // Region 0 lies above the limit; RAM pages are reached regardless.
        Assert.Equal("unreachable", r.Report("grant.region0.verdict"));
        Assert.Equal("ballooned", r.Report("grant.method"));
        Assert.Equal("ok", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void A_RAM_frame_beyond_32_bits_is_not_put_in_a_v1_grant_entry()
    {
        // RAM at 32 TiB: its frame numbers need 34 bits, a v1 entry holds 32.
        byte[] dtb = GuestStub.Tests.TestSupport.Tools.CompileSource("""
            /dts-v1/;
            / {
                #address-cells = <2>; #size-cells = <2>;
                memory@200000000000 { device_type = "memory"; reg = <0x2000 0x0 0x0 0x1000000>; };
                hypervisor { compatible = "xen,xen-4.17", "xen,xen"; reg = <0x0 0x38000000 0x0 0x1000000>; };
            };
            """);
        var r = Guests.BootDom0(dtb);
        Assert.StartsWith("frame beyond a v1 grant entry's 32 bits gfn=0x200000", r.Report("grant.selftest"));
        Assert.StartsWith("error frame beyond", r.Report("status"));
        Assert.Equal("ok", r.Report("teardown"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void Console_sink_over_the_model_captures_console_io()
    {
        using var model = new SimulatedXen(SimulatedXenOptions.ForDom0(new[] { default(GuestStub.Memory.PhysicalRange) }));
        var console = new XenConsole<SimulatedHypercalls>(new SimulatedHypercalls(model));
        console.Write("hello\n"u8);
        Assert.Equal("hello\n", model.Console);
    }
}
