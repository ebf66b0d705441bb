using System;
using System.Linq;
using GuestStub.Peers;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// Issue 22's verdicts, in every shape of deployment: one line per selected check in XTF's
/// words (SUCCESS, SKIP with its reason, ERROR when the test or a peer broke, FAILURE when Xen
/// did wrong), the worst as <c>Test result:</c>, selected as xtf-runner selects tests
/// (<c>gueststub.checks=</c>), unknown names named; issue 21's honest shapes: dom0 alone, a domU
/// alone, a domain without the hypervisor node.
/// </summary>
public class VerdictTests
{
    private static readonly string[] Common =
    {
        "xen.identity", "xen.shared-info", "grant.setup", "evtchn.upcall", "ext-regions.registration", "ext-regions.alignment",
        "ext-regions.size", "ext-regions.disjoint", "scratch.pool", "grant.self-test", "scratch.self-test", "ext-regions.usable",
    };

    private static readonly string[] Backend =
    {
        "peers.discovery", "errpath.foreign-self", "peers.grant-map", "peers.grant-map-ro", "peers.evtchn", "peers.foreign-map",
        "peers.acquire-grant-table", "peers.unmap", "errpath.batch-bad-frame", "errpath.ungranted-ref",
    };

    private static readonly string[] Frontend = { "frontend.publish", "frontend.backend-reply", "frontend.end-access" };

    private static readonly string[] Teardown = { "teardown.scratch", "teardown.evtchn", "teardown.xen" };

    [Fact]
    public void Dom0_and_two_domUs_end_every_check_in_success_each_in_its_stages_order()
    {
        using MachineBoot boot = Machines.Boot(2);
        Assert.Equal(Common.Concat(Backend).Concat(Teardown).Append("domains.wait"), VerdictLines.Names(boot.Dom0));
        Assert.All(VerdictLines.Of(boot.Dom0).Values, v => Assert.Equal("SUCCESS", v));
        Assert.Equal("SUCCESS", VerdictLines.AssertContract(boot.Dom0));
        foreach (ushort domid in new ushort[] { 1, 2 })
        {
            SimulatedBootResult domU = boot.DomU(domid);
            Assert.Equal(Common.Concat(Frontend).Concat(Teardown), VerdictLines.Names(domU));
            Assert.Equal("SUCCESS", VerdictLines.AssertContract(domU));
        }
        // Dom0's closing line comes after its wait for the other domains.
        string[] lines = boot.Dom0.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("report domains.wait ok", lines[^3]);
        Assert.Equal("report check.domains.wait SUCCESS", lines[^2]);
    }

    [Fact]
    public void Dom0_alone_skips_what_needs_a_peer_and_says_so()
    {
        var r = Guests.BootDom0(Guests.Dom0());
        var v = VerdictLines.Of(r);
        foreach (string name in Backend.Except(new[] { "peers.discovery", "errpath.foreign-self" }))
            Assert.Equal("SKIP no other domain found", v[name]);
        Assert.Equal("SUCCESS", v["peers.discovery"]);
        Assert.Equal("SUCCESS", v["errpath.foreign-self"]);
        Assert.Equal("SUCCESS", v["domains.wait"]);
        Assert.Equal("ok", r.Report("status"));
        Assert.Equal("SKIP", VerdictLines.AssertContract(r));
    }

    [Fact]
    public void A_domain_without_the_hypervisor_node_skips_every_xen_check_with_the_reason()
    {
        byte[] dtb = GuestStub.Tests.TestSupport.Tools.CompileSource("""
            /dts-v1/;
            / {
                #address-cells = <2>; #size-cells = <2>;
                memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x8000000>; };
                chosen { };
            };
            """);
        var r = SimulatedBoot.Run(dtb, null, ram => SimulatedXenOptions.ForDomU(ram));
        Assert.Equal(Common.Concat(Teardown), VerdictLines.Names(r)); // a role's own checks: it has none without Xen
        Assert.All(VerdictLines.Of(r).Values, v =>
            Assert.Equal("SKIP no hypervisor node (no xen,enhanced): nothing of Xen's to check", v));
        Assert.Equal("none", r.Report("hypervisor"));
        Assert.Equal("skipped no hypervisor node", r.Report("status")); // not ok: nothing of Xen's was tested
        Assert.Equal("SKIP", VerdictLines.AssertContract(r));
    }

    [Fact]
    public void A_selection_runs_only_the_stages_its_checks_need_and_prints_only_their_verdicts()
    {
        SimulatedXen? model = null;
        var r = Guests.BootDom0(Guests.Dom0("gueststub.checks=ext-regions,grant"), m => model = m);
        Assert.Equal(new[] { "grant.setup", "ext-regions.registration", "ext-regions.alignment", "ext-regions.size", "ext-regions.disjoint",
            "grant.self-test", "ext-regions.usable" }, VerdictLines.Names(r));
        Assert.Equal("SUCCESS", VerdictLines.AssertContract(r));
        // Neither the upcall nor the scratch pool nor the peers: not a single event-channel call
        // beyond the domid query, no scratch lines, no probe of the domains before the wait.
        Assert.Null(r.Report("evtchn.upcall"));
        Assert.Null(r.Report("scratch.method"));
        Assert.Null(r.Report("peers.found"));
        Assert.Equal("skipped", r.Report("scratch.selftest"));
        Assert.Equal("ok", r.Report("grant.selftest"));
        Assert.Equal("ok", r.Report("status"));
        Assert.DoesNotContain(model!.CallLog, l => l.StartsWith("EVTCHNOP_bind_interdomain", StringComparison.Ordinal));
        Assert.Empty(r.BooksProblems);
    }

    [Theory]
    [InlineData("evtchn.upcall", new[] { "evtchn.upcall" })]
    [InlineData("teardown", new[] { "teardown.scratch", "teardown.evtchn", "teardown.xen" })]
    [InlineData("xen,domains", new[] { "xen.identity", "xen.shared-info", "domains.wait" })]
    [InlineData("all", null)]
    public void A_check_is_selected_by_its_category_or_its_full_name(string selection, string[]? expected)
    {
        var r = Guests.BootDom0(Guests.Dom0($"gueststub.checks={selection}"));
        if (expected is null)
            Assert.Equal(Common.Concat(Backend).Concat(Teardown).Append("domains.wait"), VerdictLines.Names(r));
        else
            Assert.Equal(expected, VerdictLines.Names(r));
        VerdictLines.AssertContract(r);
    }

    [Fact]
    public void Unknown_names_in_the_selection_are_named_and_the_domain_ends_in_error()
    {
        var r = Guests.BootDom0(Guests.Dom0("gueststub.checks=grant.setup,grants,ext-region"));
        Assert.StartsWith("ERROR unknown in gueststub.checks: 'grants', 'ext-region' (a category: xen,", r.Report("check.checks.selection"));
        Assert.Equal("SUCCESS", VerdictLines.Of(r)["grant.setup"]);
        Assert.Equal("ERROR", VerdictLines.AssertContract(r));
    }

    [Theory]
    [InlineData("gueststub.checks=", "ERROR gueststub.checks selects no check (a category:")]
    [InlineData("gueststub.checks=,,", "ERROR gueststub.checks selects no check (a category:")]
    public void A_selection_of_nothing_is_an_error_not_a_pass(string bootargs, string expected)
    {
        var r = Guests.BootDom0(Guests.Dom0(bootargs));
        Assert.StartsWith(expected, r.Report("check.checks.selection"));
        Assert.Equal("ERROR", VerdictLines.AssertContract(r));
    }

    [Fact]
    public void Another_roles_checks_alone_leave_the_domain_with_no_check_which_is_an_error()
    {
        // dom0 selecting only the frontend's checks: no check applies, XTF's "no status" is ERROR.
        var r = Guests.BootDom0(Guests.Dom0("gueststub.checks=frontend"));
        Assert.Empty(VerdictLines.Names(r));
        Assert.Equal("ERROR", VerdictLines.AssertContract(r));
        Assert.Null(r.Report("peers.found")); // nor did the backend run
    }

    [Fact]
    public void A_peer_that_never_shows_up_is_an_error_of_the_peers_and_its_other_steps_are_skipped()
    {
        using MachineBoot boot = Machines.Boot(1, silentDomUs: 1);
        var v = VerdictLines.Of(boot.Dom0);
        Assert.Equal($"ERROR peer 2: nothing within {GuestStub.Peers.Backend.ShowUpBoundMs} ms idx=9 dom=2", v["peers.grant-map"]);
        Assert.Equal("SKIP peer 2: not run: its grant did not map (peers.grant-map)", v["peers.grant-map-ro"]);
        Assert.Equal("SUCCESS", v["errpath.batch-bad-frame"]); // run on peer 1
        Assert.Equal("ERROR", VerdictLines.AssertContract(boot.Dom0));
    }

    [Fact]
    public void Xen_refusing_a_call_that_must_work_is_a_failure_naming_the_peer_and_the_call()
    {
        using MachineBoot boot = Machines.Boot(2, prepare: m =>
        {
            if (m.Options.DomainId == 0)
            {
                m.FailNth(XenCall.AcquireResourceGrantTable, 1, XenErrno.EINVAL);
                m.FailNth(XenCall.AcquireResourceGrantTable, 2, XenErrno.EINVAL);
            }
        });
        var v = VerdictLines.Of(boot.Dom0);
        Assert.StartsWith("FAILURE peer 1: XENMEM_acquire_resource(grant_table)", v["peers.acquire-grant-table"]);
        Assert.EndsWith("-EINVAL (-22) (and 1 more peer)", v["peers.acquire-grant-table"]);
        Assert.Equal("SUCCESS", v["peers.foreign-map"]);
        Assert.Equal("FAILURE", VerdictLines.AssertContract(boot.Dom0));
    }

    [Fact]
    public void A_loopback_event_xen_never_delivers_is_a_failure()
    {
        var r = SimulatedBoot.Run(Guests.Dom0WithEventPpi(15), null, ram => SimulatedXenOptions.ForDom0(ram).WithUpcallIntId(16));
        Assert.StartsWith("FAILURE the loopback event never came: nothing within 1000 ms", VerdictLines.Of(r)["evtchn.upcall"]);
        Assert.Equal("FAILURE", VerdictLines.AssertContract(r));
    }

    [Fact]
    public void A_node_without_an_interrupt_skips_the_upcall_and_what_needs_it()
    {
        var r = Guests.BootDom0(Guests.Dom0WithoutInterrupt());
        var v = VerdictLines.Of(r);
        Assert.Equal("SKIP the hypervisor node names no interrupt", v["evtchn.upcall"]);
        Assert.Equal("SKIP not run: no event-channel upcall (evtchn.upcall)", v["peers.grant-map"]);
        Assert.Equal("SKIP not run: no event-channel upcall (evtchn.upcall)", v["errpath.foreign-self"]);
        Assert.Equal("SUCCESS", v["scratch.self-test"]);
        Assert.Equal("ok", r.Report("status"));
        Assert.Equal("SKIP", VerdictLines.AssertContract(r));
    }

    [Fact]
    public void A_boot_argument_naming_another_domid_is_an_error_of_the_environment()
    {
        var r = Guests.BootDomU(Guests.DomU("gueststub.domid=3"));
        var v = VerdictLines.Of(r);
        Assert.Equal("ERROR gueststub.domid=3 but Xen says this is domain 1", v["xen.identity"]);
        Assert.Equal("SKIP not run: xen.identity failed", v["grant.setup"]);
        Assert.Equal("SKIP not run: the Xen setup failed", v["evtchn.upcall"]);
        Assert.Equal("SKIP not run: the Xen setup failed", v["frontend.publish"]);
        Assert.Equal("SUCCESS", v["teardown.xen"]); // the setup's own undo gave everything back
        Assert.Equal("ERROR", VerdictLines.AssertContract(r));
    }

    [Fact]
    public void Several_runs_give_their_checks_each_run_the_peers_once_and_one_test_result()
    {
        using MachineBoot boot = Machines.Boot(1, dom0Bootargs: "gueststub.boots=2");
        string[] names = VerdictLines.Names(boot.Dom0);
        Assert.Equal(2, names.Count(n => n == "grant.setup"));
        Assert.Equal(1, names.Count(n => n == "peers.grant-map"));
        Assert.Equal(1, names.Count(n => n == "domains.wait"));
        Assert.Equal("SUCCESS", VerdictLines.AssertContract(boot.Dom0));
    }

    [Fact]
    public void Dom0s_wait_survives_a_refused_query_keeps_waiting_and_names_the_refusal()
    {
        // The first three surveys of the wait refused: the domU is not cut off, the refusal is named.
        using MachineBoot boot = Machines.Boot(1, prepare: m =>
        {
            if (m.Options.DomainId == 0)
                for (int nth = 4; nth <= 6; nth++) // after the probe's three calls (dom 0, 1, and -ESRCH for 2)
                    m.FailNth(XenCall.DomctlGetDomainInfo, nth, XenErrno.EACCES);
        });
        Assert.All(boot.Results, x => Assert.Null(x.CutOff));
        Assert.Equal("ok", boot.DomU(1).Report("status"));
        string refusal = "XEN_DOMCTL_getdomaininfo dom=0 interface_version=0x15: -EACCES (-13)";
        Assert.Equal(refusal, boot.Dom0.Report("domains.wait"));
        Assert.Contains($"seen, all finished; the query was refused 3 times, the wait went on: {refusal}\n", boot.Dom0.Output);
        Assert.Equal($"FAILURE refused on the way, then all finished: {refusal}", VerdictLines.Of(boot.Dom0)["domains.wait"]);
        VerdictLines.AssertContract(boot.Dom0);
    }
}
