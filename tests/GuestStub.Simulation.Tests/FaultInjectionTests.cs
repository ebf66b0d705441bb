using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// Every hypercall the boot sequence makes, failed in turn (first and last call of each kind,
/// for each path): the stub never throws, names the call and errno, falls back where Linux
/// falls back, and leaves the model's books balanced, except where the failing call is itself
/// the one that gives something back (then exactly that is reported as leaked).
/// </summary>
public class FaultInjectionTests
{
    public enum Scenario { Dom0Region0, Dom0Ballooned, DomURegion0, DomUBallooned }

    private static SimulatedBootResult Boot(Scenario s, Action<SimulatedXen>? prepare) => s switch
    {
        Scenario.Dom0Region0 => Guests.BootDom0(Guests.Dom0(), prepare),
        Scenario.Dom0Ballooned => Guests.BootDom0(Guests.Dom0("gnttab=ballooned"), prepare),
        Scenario.DomURegion0 => Guests.BootDomU(Guests.DomU(), prepare),
        _ => Guests.BootDomU(Guests.DomU("gueststub.domid=1 gnttab=ballooned"), prepare),
    };

    public static IEnumerable<object[]> Cases()
    {
        foreach (Scenario s in Enum.GetValues<Scenario>())
        {
            SimulatedXen? model = null;
            var clean = Boot(s, m => model = m);
            Assert.Equal("ok", clean.Report("status"));
            foreach (XenCall call in Enum.GetValues<XenCall>())
            {
                int n = model!.CallCount(call);
                if (n == 0 || call == XenCall.ConsoleWrite)
                    continue;
                foreach (int nth in new[] { 1, n }.Distinct())
                    yield return new object[] { s, call, nth };
            }
        }
    }

    private static readonly XenCall[] GivingBack = { XenCall.RemoveFromPhysmap, XenCall.PopulatePhysmap, XenCall.GnttabUnmapGrantRef };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_failed_hypercall_is_named_and_nothing_leaks(Scenario scenario, XenCall call, int nth)
    {
        var r = Boot(scenario, m => m.FailNth(call, nth, XenErrno.EINVAL));
        string status = r.Report("status")!;
        string name = System.Text.Encoding.ASCII.GetString(XenCallText.Name(call));

        switch (call)
        {
            case XenCall.GetFeatures:
                // Linux leaves the features zero; the domid comes from Xen all the same.
                Assert.Equal("ok", status);
                Assert.Equal(scenario is Scenario.Dom0Region0 or Scenario.Dom0Ballooned ? "0" : "1", r.Report("domid"));
                break;
            case XenCall.EvtchnAllocUnbound or XenCall.EvtchnStatus or XenCall.EvtchnClose when nth == 1:
                // The domid query (the first port): dom0 falls back to XENFEAT_dom0, the domUs here
                // to gueststub.domid; the refusal is named in a warning, and the port is closed.
                Assert.Equal("ok", status);
                Assert.Contains($"Xen could not be asked for the domid ({name}", r.Output);
                Assert.Contains("-EINVAL (-22)", r.Output);
                break;
            case XenCall.DomctlGetDomainInfo:
                // Dom0's last step, after the boot's own status: only the wait reports it.
                Assert.Equal("ok", status);
                Assert.StartsWith(name, r.Report("domains.wait"));
                Assert.EndsWith("-EINVAL (-22)", r.Report("domains.wait"));
                break;
            case XenCall.SchedYield:
                // Giving the CPU away is a courtesy in a bounded wait: nothing depends on it.
                Assert.Equal("ok", status);
                break;
            case XenCall.GnttabQuerySize:
                // Linux assumes the legacy 4 frames.
                Assert.Equal("ok", status);
                Assert.Equal("4", r.Report("grant.frames"));
                Assert.StartsWith("legacy-4", r.Report("grant.policy"));
                break;
            default:
                Assert.StartsWith("error " + name, status);
                Assert.Contains("-EINVAL (-22)", status);
                break;
        }

        if (GivingBack.Contains(call))
            Assert.NotEmpty(r.BooksProblems);
        else
            Assert.Empty(r.BooksProblems);
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
