using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.Peers;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// Every hypercall a boot makes, failed in turn (every call of the kinds made up to 8 times,
/// the first and last of the others, in the domain under test, for each path): dom0 alone, and dom0 or a domU in a machine where the
/// other side runs the stub too (probe and static discovery, two domUs, ballooned grant frames).
/// The stub never throws and never hangs, names the call and errno in its report, falls back
/// where Linux falls back, and leaves every domain's books balanced, except where the failing
/// call is itself the one that gives something back (then that is reported as leaked); a domU
/// that dom0's power-off cut short is one dom0 gave up waiting for.
/// </summary>
public class FaultInjectionTests
{
    public enum Scenario
    {
        Dom0Alone,
        Dom0AloneBallooned,
        Dom0WithDomU,
        Dom0WithDomUStatic,
        Dom0WithTwoDomUs,
        DomUWithDom0,
        DomUWithDom0Static,
        DomUBallooned,
    }

    private static bool FaultsDom0(Scenario s) => s is Scenario.Dom0Alone or Scenario.Dom0AloneBallooned or Scenario.Dom0WithDomU
        or Scenario.Dom0WithDomUStatic or Scenario.Dom0WithTwoDomUs;

    private static ushort Target(Scenario s) => FaultsDom0(s) ? (ushort)0 : (ushort)1;

    private static MachineBoot Boot(Scenario s, Action<SimulatedXen>? prepareTarget)
    {
        ushort target = Target(s);
        Action<SimulatedXen> prepare = m =>
        {
            if (m.Options.DomainId == target)
                prepareTarget?.Invoke(m);
        };
        return s switch
        {
            Scenario.Dom0Alone => Machines.Boot(0, prepare: prepare),
            Scenario.Dom0AloneBallooned => Machines.Boot(0, prepare: prepare, dom0Bootargs: "gnttab=ballooned"),
            Scenario.Dom0WithDomU or Scenario.DomUWithDom0 => Machines.Boot(1, prepare: prepare),
            Scenario.Dom0WithDomUStatic or Scenario.DomUWithDom0Static => Machines.Boot(1, staticChannels: true, prepare: prepare),
            Scenario.Dom0WithTwoDomUs => Machines.Boot(2, prepare: prepare),
            _ => Machines.Boot(1, prepare: prepare, domUBootargs: "gnttab=ballooned"),
        };
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach (Scenario s in Enum.GetValues<Scenario>())
        {
            using MachineBoot clean = Boot(s, null);
            Assert.All(clean.Results, r => Assert.Equal("ok", r.Report("status")));
            Assert.Empty(clean.Books);
            SimulatedXen model = clean.Model(Target(s));
            foreach (XenCall call in Enum.GetValues<XenCall>())
            {
                int n = model.CallCount(call);
                // The console is how failures are told, not a step that can fail: a refused
                // console write loses its text and nothing else (a dom0 prints through it).
                if (n == 0 || call == XenCall.ConsoleWrite)
                    continue;
                // Every call of the kinds made a few times (each map, unmap, batch, bind of the
                // cross-domain stage); the first, a middle one and the last of those made many
                // times (the 64 grant-frame maps, the balloon's page-by-page calls).
                IEnumerable<int> nths = n <= EveryCallUpTo ? Enumerable.Range(1, n) : new[] { 1, (n + 1) / 2, n };
                foreach (int nth in nths)
                    yield return new object[] { s, call, nth };
            }
        }
    }

    private const int EveryCallUpTo = 8;

    private static readonly XenCall[] GivingBack = { XenCall.RemoveFromPhysmap, XenCall.PopulatePhysmap, XenCall.GnttabUnmapGrantRef };

    [Fact]
    public void Every_new_cross_domain_call_is_among_the_cases()
    {
        var covered = Cases().Select(c => ((Scenario)c[0], (XenCall)c[1])).ToHashSet();
        foreach (XenCall call in new[]
                 {
                     XenCall.AddToPhysmapBatchForeign, XenCall.AcquireResourceGrantTable, XenCall.GnttabMapGrantRef,
                     XenCall.EvtchnStatus, XenCall.EvtchnBindInterdomain, XenCall.DomctlGetDomainInfo, XenCall.EvtchnSend,
                 })
            Assert.Contains((Scenario.Dom0WithDomU, call), covered);
        foreach (XenCall call in new[] { XenCall.EvtchnAllocUnbound, XenCall.EvtchnStatus, XenCall.EvtchnClose, XenCall.SchedShutdown })
            Assert.Contains((Scenario.DomUWithDom0, call), covered);
        Assert.Contains((Scenario.DomUWithDom0Static, XenCall.EvtchnUnmask), covered);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_failed_hypercall_is_named_and_nothing_leaks(Scenario scenario, XenCall call, int nth)
    {
        using MachineBoot boot = Boot(scenario, m => m.FailNth(call, nth, XenErrno.EINVAL));
        ushort target = Target(scenario);
        SimulatedBootResult r = boot.Results.Single(x => x.Domid == target);
        string name = System.Text.Encoding.ASCII.GetString(XenCallText.Name(call));
        bool dom0 = target == 0;
        // A domU cut short by dom0's power-off is one dom0 gave up waiting for (the bound ran out,
        // or Xen refused the query it waits with, which the wait names), or one dom0 never waited
        // for: a dom0 whose Xen setup failed before it learnt it was dom0.
        foreach (SimulatedBootResult cut in boot.Results.Where(x => x.CutOff is not null))
            Assert.True(boot.Dom0.Report("domains.wait") is not string wait || wait.StartsWith("timeout domain ")
                || wait.StartsWith("XEN_DOMCTL_getdomaininfo "), boot.Describe());
        // Every domain that ran to its end speaks the verdict contract, whatever failed.
        foreach (SimulatedBootResult done in boot.Results.Where(x => x.CutOff is null))
            VerdictLines.AssertContract(done, boot.Describe());
        string? status = r.Report("status");
        if (r.CutOff is not null)
        {
            // Cut short while it waited for dom0: what failed was named before.
            Assert.False(dom0);
            Assert.Contains(name, r.Output);
            Assert.Contains("-EINVAL (-22)", r.Output);
            Assert.Null(status);
            AssertBooks(boot, call);
            return;
        }
        Assert.NotNull(status);

        switch (call)
        {
            case XenCall.GetFeatures when dom0:
                // Without XENFEAT_dom0 the stub still learns its domid from Xen, and domain 0 is
                // the hardware domain in Xen 4.17: it serves its peers and waits for them.
                Assert.Equal("ok", status);
                Assert.Equal("0", r.Report("domid"));
                Assert.Equal((boot.Results.Count - 1).ToString(), r.Report("peers.found"));
                Assert.Equal("ok", r.Report("domains.wait"));
                break;
            case XenCall.GetFeatures:
                // A domU's features mean nothing to the stub; the domid comes from Xen all the same.
                Assert.Equal("ok", status);
                Assert.Equal("1", r.Report("domid"));
                break;
            case XenCall.EvtchnAllocUnbound or XenCall.EvtchnStatus or XenCall.EvtchnClose when nth == 1:
                // The domid query (the first port): dom0 falls back to XENFEAT_dom0, a domU has no
                // fallback without gueststub.domid; the refusal is named in a line for people.
                Assert.Contains($"Xen could not be asked for the domid ({name}", r.Output);
                Assert.Contains("-EINVAL (-22)", r.Output);
                if (dom0)
                    Assert.Equal("ok", status);
                break;
            case XenCall.EvtchnStatus:
                // A refused status query stops the static-channel scan and is named (a port it
                // could not look at may be the channel); a refusal during the loopback or a
                // close is named by its stage.
                Assert.True(status == "ok" || status.StartsWith("error "), status);
                break;
            case XenCall.DomctlGetDomainInfo when nth <= boot.Machine.Domains.Count + 1:
                // The probe for peers (one call per domain, and the -ESRCH past the last): discovery failed.
                Assert.StartsWith($"error {name} dom={nth - 1}: -EINVAL (-22)", status);
                break;
            case XenCall.DomctlGetDomainInfo:
                // The wait for the other domains, dom0's last step, after the boot's own status:
                // only the wait reports it, and it goes on after the refusal until all have finished.
                Assert.Equal("ok", status);
                Assert.StartsWith(name, r.Report("domains.wait"));
                Assert.EndsWith("-EINVAL (-22)", r.Report("domains.wait"));
                Assert.Contains("GuestStub: other domains: " + r.Report("domains.others") +
                    $" seen, all finished; the query was refused 1 time, the wait went on: {r.Report("domains.wait")}\n", r.Output);
                Assert.Equal($"FAILURE refused on the way, then all finished: {r.Report("domains.wait")}", r.Report("check.domains.wait"));
                Assert.All(boot.Results, x => Assert.Null(x.CutOff));
                break;
            case XenCall.SchedYield:
                // Giving the CPU away is a courtesy in a bounded wait: nothing depends on it.
                Assert.Equal("ok", status);
                break;
            case XenCall.SchedShutdown:
                // The guest falls back to PSCI SYSTEM_OFF, which Xen turns into the same shutdown.
                Assert.Equal("ok", status);
                Assert.Equal(ShutdownReason.PowerOff, boot.Model(target).ShutdownReasonGiven);
                Assert.Contains("PSCI SYSTEM_OFF", boot.Model(target).CallLog);
                if (!dom0)
                    Assert.Equal("ok", boot.Dom0.Report("domains.wait"));
                break;
            case XenCall.GnttabQuerySize:
                // Linux assumes the legacy 4 frames.
                Assert.Equal("ok", status);
                Assert.Equal("4", r.Report("grant.frames"));
                Assert.StartsWith("legacy-4", r.Report("grant.policy"));
                break;
            case XenCall.AddToPhysmapBatchForeign when dom0 && nth == 1:
                // The foreign map of itself must be refused frame by frame (errs[0] = -EINVAL). A
                // call refused as a whole refused nothing: the error path did not run as it must.
                Assert.StartsWith(name + " dom=32752: -EINVAL (-22)", r.Report("errpath.foreign-self"));
                Assert.StartsWith("error ", status);
                break;
            default:
                // Named in the machine-readable report: the status, or the step's own key.
                Assert.Contains(r.ReportLines, l => l.Contains(name) && l.Contains("-EINVAL (-22)"));
                Assert.StartsWith("error ", status);
                break;
        }

        if (call == XenCall.RemoveFromPhysmap && dom0 && nth == 1 && boot.Results.Count > 1)
        {
            // The first peer's foreign map stays in place: the peer's teardown names it and its
            // scratch pages are never handed out again. (The bad-batch error path maps the same
            // scratch page again, Xen replacing the mapping, and unmaps it: Xen's books balance.)
            Assert.Equal("ok", r.Report("peer.1.foreign-map"));
            Assert.StartsWith(name + " gfn=0x", r.Report("peer.1.teardown"));
            Assert.All(boot.Results, x => Assert.True(x.BooksProblems.Count == 0, boot.Describe()));
            return;
        }
        AssertBooks(boot, call);
    }

    /// <summary>Every domain that ran to its end balanced its books, unless the failing call was
    /// one that gives something back: then something is reported left behind.</summary>
    private static void AssertBooks(MachineBoot boot, XenCall call)
    {
        if (GivingBack.Contains(call))
            Assert.Contains(boot.Results, x => x.BooksProblems.Count > 0);
        else
            Assert.All(boot.Results.Where(x => x.CutOff is null), x => Assert.True(x.BooksProblems.Count == 0, boot.Describe()));
    }

    [Theory]
    [InlineData(Scenario.Dom0WithDomUStatic, "peers.found")]
    [InlineData(Scenario.DomUWithDom0Static, "frontend.publish")]
    public void A_status_query_refused_in_the_static_scan_is_named_not_taken_for_no_channel(Scenario scenario, string key)
    {
        // The first status query is the domid's; the second is the scan's first port. -EPERM is
        // not -EINVAL (a port that does not exist): the port may be the static channel.
        using MachineBoot boot = Boot(scenario, m => m.FailNth(XenCall.EvtchnStatus, 2, XenErrno.EPERM));
        SimulatedBootResult r = boot.Results.Single(x => x.Domid == Target(scenario));
        Assert.StartsWith("error EVTCHNOP_status port=1: -EPERM", r.Report("status"));
        if (key == "frontend.publish")
            Assert.StartsWith("EVTCHNOP_status port=1: -EPERM", r.Report(key));
        else
            Assert.Contains("; discovery failed: EVTCHNOP_status port=1: -EPERM", r.Output);
        Assert.All(boot.Results.Where(x => x.CutOff is null), x => Assert.True(x.BooksProblems.Count == 0, boot.Describe()));
    }

    [Fact]
    public void A_region0_mapping_failure_stops_cleanly_without_falling_back()
    {
        // Linux: gnttab_map fails -> gnttab_init fails; there is no second attempt elsewhere.
        var r = Guests.BootDom0(Guests.Dom0(), m => m.FailNth(XenCall.AddToPhysmapGrantTable, 3, XenErrno.ENOMEM));
        Assert.Equal("error XENMEM_add_to_physmap(grant_table) idx=61 gfn=0x4023d: -ENOMEM (-12)", r.Report("status"));
        Assert.Equal("region0", r.Report("grant.method"));
        Assert.Equal("none", r.Report("grant.range"));
        Assert.Equal("skipped", r.Report("grant.selftest"));
        Assert.Equal("ok", r.Report("teardown"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void A_failure_undoing_a_failed_setup_is_reported_as_teardown()
    {
        // Frames 63 and 62 are mapped when the third mapping fails; unmapping 62 then fails too.
        var r = Guests.BootDom0(Guests.Dom0(), m => m
            .FailNth(XenCall.AddToPhysmapGrantTable, 3, XenErrno.ENOMEM)
            .FailNth(XenCall.RemoveFromPhysmap, 1, XenErrno.EINVAL));
        Assert.Equal("error XENMEM_add_to_physmap(grant_table) idx=61 gfn=0x4023d: -ENOMEM (-12)", r.Report("status"));
        Assert.Equal("XENMEM_remove_from_physmap gfn=0x4023e: -EINVAL (-22)", r.Report("teardown"));
        Assert.Contains("undoing it failed: XENMEM_remove_from_physmap gfn=0x4023e", r.Output);
        // Exactly the frame that could not be unmapped is left behind.
        Assert.Contains("grant frame 62 still mapped at gfn 0x4023e", r.BooksProblems);
        Assert.All(r.BooksProblems, p => Assert.Contains("0x4023e", p));
    }
}
