using GuestStub.Boot;
using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.Peers;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// Issue 12's protocol with the stub's real Core code in every domain of one simulated machine,
/// as <c>./build.sh run --domu --domus N</c> boots it: dom0's backend serves each domU's
/// frontend (grant map read-write and read-only, reply and event, foreign map, acquire_resource
/// of the grant table), with discovery by probe and by static event channels; the error paths
/// that need a peer; a peer that never shows up; every report key of every domain.
/// </summary>
public class MultiDomainTests
{
    public static TheoryData<int, bool> Machines_ => new()
    {
        { 1, false },
        { 1, true },
        { 2, false },
        { 2, true },
    };

    [Theory]
    [MemberData(nameof(Machines_))]
    public void Dom0_serves_every_domU_and_every_key_reads_ok(int domUs, bool staticChannels)
    {
        using MachineBoot boot = Machines.Boot(domUs, staticChannels);
        string all = boot.Describe();
        Assert.All(boot.Results, r => Assert.Null(r.CutOff));

        SimulatedBootResult dom0 = boot.Dom0;
        Assert.Equal(domUs.ToString(), dom0.Report("peers.found"));
        Assert.Equal("ok (-EINVAL)", dom0.Report("errpath.foreign-self"));
        Assert.Equal("ok (-EINVAL)", dom0.Report("errpath.batch-bad-frame"));
        Assert.Equal("ok (GNTST_general_error)", dom0.Report("errpath.ungranted-ref"));
        for (ushort id = 1; id <= domUs; id++)
        {
            foreach (string step in new[] { "grant-map", "grant-map-ro", "evtchn", "foreign-map", "acquire-grant-table" })
                Assert.True(dom0.Report($"peer.{id}.{step}") == "ok", $"peer.{id}.{step}\n{all}");
            Assert.Null(dom0.Report($"peer.{id}.teardown"));
            string found = staticChannels ? $"domain {id} (static event channel, port {10 + id})" : $"domain {id} (probe)";
            Assert.Contains(found, dom0.Output);
        }
        // The error paths run on the first peer only.
        Assert.Single(dom0.ReportLines, l => l.StartsWith("report errpath.batch-bad-frame "));
        Assert.Equal(domUs.ToString(), dom0.Report("domains.others"));
        Assert.Equal("ok", dom0.Report("domains.wait"));
        Assert.Equal("ok", dom0.Report("status"));

        for (ushort id = 1; id <= domUs; id++)
        {
            SimulatedBootResult domU = boot.DomU(id);
            Assert.Equal(id.ToString(), domU.Report("domid"));
            Assert.Equal(staticChannels ? "static" : "allocated", domU.Report("frontend.channel"));
            Assert.Equal("ok", domU.Report("frontend.backend-reply"));
            Assert.Equal("ok", domU.Report("frontend.end-access"));
            Assert.Null(domU.Report("frontend.publish"));
            Assert.Null(domU.Report("frontend.close"));
            Assert.Equal("ok", domU.Report("status"));
            Assert.Equal(ShutdownReason.PowerOff, boot.Model(id).ShutdownReasonGiven);
        }
        // Nothing mapped, pinned, granted or open anywhere; static channels still bound as Xen bound them.
        Assert.True(boot.Books.Count == 0, all);
        if (staticChannels)
            for (ushort id = 1; id <= domUs; id++)
                Assert.Contains($"port 10 interdomain (remote dom 0 port {10 + id})", boot.Model(id).OpenPorts());
    }

    [Fact]
    public void The_report_keys_of_both_sides_come_in_their_documented_order()
    {
        using MachineBoot boot = Machines.Boot(1);
        string[] dom0 = Keys(boot.Dom0);
        string[] cross =
        {
            "peers.found", "errpath.foreign-self", "peer.1.grant-map", "peer.1.grant-map-ro", "peer.1.evtchn", "peer.1.foreign-map",
            "peer.1.acquire-grant-table", "errpath.batch-bad-frame", "errpath.ungranted-ref",
        };
        int at = Array.IndexOf(dom0, "scratch.selftest") + 1;
        Assert.Equal(cross, dom0.Skip(at).Take(cross.Length));
        Assert.Equal(new[] { "grant.selftest", "teardown", "status", "domains.others", "domains.wait" }, dom0.Skip(at + cross.Length));

        string[] domU = Keys(boot.DomU(1));
        at = Array.IndexOf(domU, "scratch.selftest") + 1;
        Assert.Equal(new[] { "frontend.channel", "frontend.backend-reply", "frontend.end-access", "grant.selftest", "teardown", "status" },
            domU.Skip(at));
    }

    [Fact]
    public void The_backend_maps_the_frontends_page_and_its_reply_lands_in_the_domUs_page()
    {
        using MachineBoot boot = Machines.Boot(1);
        string[] dom0 = boot.Model(0).CallLog.ToArray();
        string[] domU = boot.Model(1).CallLog.ToArray();
        // Read-write (tried until the domU has granted), then read-only, at two scratch pages;
        // the ref no frontend grants is refused.
        Assert.Contains(dom0, l => l.StartsWith("GNTTABOP_map_grant_ref(ref 9, dom 1, host 0x48000000) status 0"));
        Assert.Contains(dom0, l => l.StartsWith("GNTTABOP_map_grant_ref(ref 9, dom 1, host 0x48001000, readonly) status 0"));
        Assert.Contains(dom0, l => l.StartsWith("GNTTABOP_map_grant_ref(ref 10, dom 1, host ") && l.EndsWith($"status {GrantStatus.GeneralError} = 0"));
        // The frame the page names, mapped foreign; the peer's grant frame 0, acquired.
        // (Access ended, the domU's entry keeps the frame it granted.)
        string gfn = $"0x{boot.Model(1).GrantEntry(PeerPage.FrontendRef).Frame:x}";
        Assert.Contains(dom0, l => l == $"XENMEM_add_to_physmap_batch(space 4, 1 page(s), foreign dom 1): {gfn}->0x48002 0 = 0");
        Assert.Contains(dom0, l => l == "XENMEM_acquire_resource(dom 1, type 1, id 0, frame 0, 1 frame(s)) at gfn 0x48003 = 0");
        // The bad batch: the good frame mapped, the bad one refused in its errs entry; both scratch
        // pages' mappings then removed.
        Assert.Contains(dom0, l => l == $"XENMEM_add_to_physmap_batch(space 4, 2 page(s), foreign dom 1): {gfn}->0x48002 0, 0x1000000->0x48004 -22 = 0");
        Assert.Equal(3, dom0.Count(l => l == "XENMEM_remove_from_physmap(gpfn 0x48002) = 0" || l == "XENMEM_remove_from_physmap(gpfn 0x48003) = 0"));
        // (Handles are Xen's, counted from the stub's own maps before: the scratch self-test's, ext-regions.usable's.)
        Assert.Contains(dom0, l => l.StartsWith("GNTTABOP_unmap_grant_ref(handle ") && l.EndsWith(", host 0x48000000) status 0 = 0"));
        Assert.Contains(dom0, l => l.StartsWith("GNTTABOP_unmap_grant_ref(handle ") && l.EndsWith(", host 0x48001000) status 0 = 0"));
        // The domU granted its page to dom0, and was told (its port is pending when dom0 binds to it).
        Assert.Contains(domU, l => l.StartsWith("EVTCHNOP_alloc_unbound(dom 32752, remote 0) -> port 1"));
        Assert.Contains(dom0, l => l.StartsWith("EVTCHNOP_bind_interdomain(remote dom 1, port 1)"));
        Assert.Contains(dom0, l => l.StartsWith("EVTCHNOP_send(port "));
    }

    [Fact]
    public void The_error_paths_name_what_Xen_answered()
    {
        using MachineBoot boot = Machines.Boot(1);
        string output = boot.Dom0.Output;
        Assert.Contains("a foreign map of dom0's own RAM: refused as it must be: XENMEM_add_to_physmap_batch(gmfn_foreign) gfn=0x", output);
        Assert.Contains("dom=32752: -EINVAL (-22)", output);
        Assert.Contains("a foreign batch with one bad frame: refused as it must be: XENMEM_add_to_physmap_batch(gmfn_foreign) idx=1 gfn=0x1000000 dom=1: -EINVAL (-22)", output);
        Assert.Contains("a map of a ref never granted: refused as it must be: GNTTABOP_map_grant_ref idx=10 dom=1: GNTST_general_error (-1)", output);
        // The batch's good frame went back: nothing of the peer's is mapped in dom0 any more.
        Assert.Empty(boot.Model(0).CheckBooks());
    }

    [Fact]
    public void A_peer_that_exists_but_never_grants_is_reported_after_the_bounded_wait()
    {
        // Domain 2 exists (getdomaininfo lists it) and runs nothing; domain 1 runs the stub.
        using MachineBoot boot = Machines.Boot(1, silentDomUs: 1);
        SimulatedBootResult dom0 = boot.Dom0;
        Assert.Equal("2", dom0.Report("peers.found"));
        Assert.Equal("ok", dom0.Report("peer.1.grant-map"));
        Assert.Equal($"nothing within {Backend.ShowUpBoundMs} ms idx=9 dom=2", dom0.Report("peer.2.grant-map"));
        Assert.Equal("skipped", dom0.Report("peer.2.grant-map-ro"));
        Assert.Equal($"error nothing within {Backend.ShowUpBoundMs} ms idx=9 dom=2", dom0.Report("status"));
        Assert.Equal("timeout domain 2 still running", dom0.Report("domains.wait"));
        Assert.Equal("ok", boot.DomU(1).Report("status"));
        Assert.True(boot.Books.Count == 0, boot.Describe());
        // The waits ran out in the machine's time, not the host's.
        var bounds = TimeSpan.FromMilliseconds(Backend.ShowUpBoundMs + BootSession.OtherDomainsBoundMs);
        Assert.True(boot.Machine.Clock.Elapsed >= bounds);
        Assert.True(boot.Machine.Clock.Virtual >= bounds / 2);
    }

    [Fact]
    public void Static_channels_are_bound_before_any_domain_runs_and_left_bound_after()
    {
        var machine = new SimulatedMachine(new SimulatedMachineOptions { StaticEventChannels = new[] { StaticEventChannel.Dom0ToDomU(1) } });
        using (machine)
        {
            SimulatedXen dom0 = machine.Add(SimulatedBoot.CreateModel(Guests.Dom0(), ram => SimulatedXenOptions.ForDom0(ram)));
            SimulatedXen domU = machine.Add(SimulatedBoot.CreateModel(Guests.DomU(null), ram => SimulatedXenOptions.ForDomU(ram, 1)));
            machine.BindStaticEventChannels();
            Assert.Equal(new[] { "port 11 interdomain (remote dom 1 port 10)" }, dom0.OpenPorts());
            Assert.Equal(new[] { "port 10 interdomain (remote dom 0 port 11)" }, domU.OpenPorts());
            // The binder's port is left pending (Xen: "we may have lost notifications").
            Assert.True(domU.UpcallPending);
            Assert.False(dom0.UpcallPending);
            Assert.Empty(machine.CheckBooks());
            var results = machine.Run(SimulatedDomainRun.Stub(dom0, Guests.Dom0()), SimulatedDomainRun.Stub(domU, Guests.DomU(null)));
            Assert.All(results, r => Assert.Equal("ok", r.Report("status")));
            Assert.Equal(new[] { "port 11 interdomain (remote dom 1 port 10)" }, dom0.OpenPorts());
            Assert.Empty(machine.CheckBooks());
        }
    }

    [Fact]
    public void Every_domain_booting_twice_meets_its_peers_on_the_first_run_and_starts_clean_on_the_second()
    {
        using MachineBoot boot = Machines.Boot(2, dom0Bootargs: "gueststub.boots=2", domUBootargs: "gueststub.boots=2");
        Assert.All(boot.Results, r => Assert.Equal("ok", r.Report("status")));
        Assert.All(boot.Results, r => Assert.Equal(2, r.ReportLines.Count(l => l.StartsWith("report status "))));
        Assert.Single(boot.Dom0.ReportLines, l => l.StartsWith("report peers.found "));
        Assert.Single(boot.DomU(2).ReportLines, l => l.StartsWith("report frontend.backend-reply "));
        Assert.True(boot.Books.Count == 0, boot.Describe());
    }

    [Fact]
    public void The_error_paths_run_on_the_next_peer_when_the_first_peers_grant_did_not_map()
    {
        // Domain 1 cannot allocate its channel, so it never grants its page: dom0 waits for it in vain.
        using MachineBoot boot = Machines.Boot(2, prepare: m =>
        {
            if (m.Options.DomainId == 1)
                for (int nth = 1; nth <= 4; nth++)
                    m.FailNth(XenCall.EvtchnAllocUnbound, nth, XenErrno.EINVAL);
        });
        SimulatedBootResult dom0 = boot.Dom0;
        Assert.True(dom0.Report("peer.1.grant-map") == $"nothing within {Backend.ShowUpBoundMs} ms idx=9 dom=1", boot.Describe());
        Assert.Equal("ok", dom0.Report("peer.2.grant-map"));
        Assert.Equal("ok (-EINVAL)", dom0.Report("errpath.batch-bad-frame"));
        Assert.Equal("ok (GNTST_general_error)", dom0.Report("errpath.ungranted-ref"));
        Assert.Single(dom0.ReportLines, l => l.StartsWith("report errpath.batch-bad-frame "));
    }

    [Fact]
    public void A_static_channel_bound_before_the_domU_ran_is_not_taken_for_dom0s_notification()
    {
        // Xen sets a static channel's port pending when it binds it, before either domain runs.
        // With every send of dom0's refused, no event of dom0's ever arrives: the domU must wait
        // its whole bound and say so, not count the bind-time event as dom0's reply.
        using MachineBoot boot = Machines.Boot(1, staticChannels: true, prepare: m =>
        {
            if (m.Options.DomainId == 0)
                for (int nth = 1; nth <= 8; nth++)
                    m.FailNth(XenCall.EvtchnSend, nth, XenErrno.EINVAL);
        });
        SimulatedBootResult domU = boot.DomU(1);
        Assert.Equal("static", domU.Report("frontend.channel"));
        Assert.Equal(Guests.LoneFrontendTimeout(port: 10), domU.Report("frontend.backend-reply"));
        Assert.StartsWith("error ", boot.Dom0.Report("status"));
        Assert.Contains("EVTCHNOP_send", boot.Dom0.Report("status"));
    }

    [Fact]
    public void A_domU_with_no_dom0_skips_its_frontend_says_why_and_still_ends_ok()
    {
        // A dom0less boot of domUs alone: Xen (XSM SILO, the Arm default) refuses a port for a
        // dom0 that does not exist with -ESRCH. Nothing is granted, nothing waited for, no step
        // that never ran says ok, and no line says a page was granted.
        SimulatedXen? model = null;
        var r = Guests.BootLoneDomU(Guests.DomU(null), m => model = m);
        const string refusal = "EVTCHNOP_alloc_unbound dom=0: -ESRCH (-3)";
        Assert.Equal("none", r.Report("frontend.channel"));
        Assert.Equal($"skipped (no dom0: {refusal})", r.Report("frontend.publish"));
        Assert.Equal("skipped (no dom0)", r.Report("frontend.backend-reply"));
        Assert.Equal("skipped (no dom0)", r.Report("frontend.end-access"));
        Assert.Contains($"GuestStub: frontend: no dom0 to publish to ({refusal}): nothing granted, nothing waited for\n", r.Output);
        Assert.DoesNotContain("page granted", r.Output);
        Assert.Equal($"SKIP no dom0 to publish to: {refusal}", r.Report("check.frontend.publish"));
        Assert.Equal("SKIP no dom0 (frontend.publish)", r.Report("check.frontend.backend-reply"));
        Assert.Equal("SKIP no dom0 (frontend.publish)", r.Report("check.frontend.end-access"));
        Assert.Equal("ok", r.Report("status"));
        Assert.EndsWith("Test result: SKIP\n", r.Output);
        Assert.Empty(r.BooksProblems);
        Assert.True(model!.Clock.Virtual < TimeSpan.FromSeconds(1), "it waited for a dom0 that does not exist");
    }

    [Fact]
    public void A_domU_that_does_not_know_its_id_publishes_nothing()
    {
        // Its domid query refused and no gueststub.domid: no page claims to be from domain 0.
        using MachineBoot boot = Machines.Boot(1, prepare: m =>
        {
            if (m.Options.DomainId == 1)
                m.FailNth(XenCall.EvtchnAllocUnbound, 1, XenErrno.EPERM);
        });
        SimulatedBootResult domU = boot.DomU(1);
        Assert.Equal("unknown", domU.Report("domid"));
        Assert.Equal("own domid unknown", domU.Report("frontend.publish"));
        Assert.Equal("error own domid unknown", domU.Report("status"));
        Assert.DoesNotContain(boot.Model(1).CallLog, l => l.StartsWith("EVTCHNOP_alloc_unbound(dom 32752, remote 0)"));
        Assert.Equal($"nothing within {Backend.ShowUpBoundMs} ms idx=9 dom=1", boot.Dom0.Report("peer.1.grant-map"));
        Assert.True(boot.Books.Count == 0, boot.Describe());
    }

    /// <summary>The report's keys, without the verdict lines (<c>check.*</c>, whose order has its own test).</summary>
    private static string[] Keys(SimulatedBootResult r) =>
        r.ReportLines.Select(l => l.Split(' ')[1]).Where(k => !k.StartsWith("check.", StringComparison.Ordinal)).ToArray();
}
