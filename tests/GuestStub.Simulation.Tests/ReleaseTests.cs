using System;
using System.Linq;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// The stub on each modelled Xen release (SimulatedXenRelease): dom0 and two domUs boot and
/// every domain reports ok on 4.17, 4.20, 4.21 and 4.22, each with what that release gives (its
/// version, its XENFEAT bits, its refusal of a foreign map of DOMID_SELF), dom0 asking for the
/// domains with the release's domctl interface version or, from 4.21, the stable
/// get_domain_state. A release the stub does not know is said to be one, and a refused
/// interface version is named, never a bare -EACCES.
/// </summary>
public class ReleaseTests
{
    private static MachineBoot Boot(SimulatedXenRelease release, int domUs = 2, bool staticChannels = false) =>
        Machines.Boot(domUs, staticChannels, release: release);

    public static TheoryData<string> Modelled() => new(SimulatedXenRelease.Modelled.Select(r => $"{r.Major}.{r.Minor}"));

    [Theory]
    [MemberData(nameof(Modelled))]
    public void Dom0_and_two_domUs_boot_ok_on_each_modelled_release(string version)
    {
        SimulatedXenRelease release = SimulatedXenRelease.Parse(version);
        using MachineBoot boot = Boot(release);
        Assert.All(boot.Results, r => Assert.True(r.Report("status") == "ok", boot.Describe()));
        Assert.Empty(boot.Books);
        Assert.All(boot.Results, r => Assert.Equal($"xen-{version}", r.Report("hypervisor")));
        bool runstate = release.Minor >= 18;
        Assert.Equal(runstate ? "0x66805" : "0x26805", boot.Dom0.Report("xen.features"));
        Assert.Equal(runstate ? "0x56005" : "0x16005", boot.DomU(1).Report("xen.features"));
        Assert.Equal(release.RejectsPseudoDomainForeignMaps ? "ok (-ESRCH)" : "ok (-EINVAL)", boot.Dom0.Report("errpath.foreign-self"));
        Assert.Equal("2", boot.Dom0.Report("peers.found"));
        Assert.Equal("2", boot.Dom0.Report("domains.others"));
        Assert.Equal("ok", boot.Dom0.Report("domains.wait"));
        Assert.DoesNotContain("warning", boot.Dom0.Output);

        // The query the release takes: get_domain_state (version 0) from 4.21, else getdomaininfo at its version.
        string[] domctls = boot.Model(0).CallLog.Where(l => l.StartsWith("XEN_DOMCTL_", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(domctls);
        string expected = release.HasGetDomainState ? "XEN_DOMCTL_get_domain_state(" : "XEN_DOMCTL_getdomaininfo(";
        Assert.All(domctls, l => Assert.StartsWith(expected, l));
        Assert.All(domctls, l => Assert.Contains($"version 0x{(release.HasGetDomainState ? 0 : release.DomctlInterfaceVersion):x})", l));
    }

    [Theory]
    [InlineData("4.20.3", "ok (-EINVAL)")]
    [InlineData("4.20.4", "ok (-ESRCH)")]
    [InlineData("4.21.1", "ok (-EINVAL)")]
    [InlineData("4.21.2", "ok (-ESRCH)")]
    [InlineData("4.19.6", "ok (-EINVAL)")]
    public void A_foreign_map_of_domid_self_is_refused_as_the_point_release_refuses_it_and_named(string version, string expected)
    {
        using MachineBoot boot = Boot(SimulatedXenRelease.Parse(version), domUs: 1);
        Assert.Equal(expected, boot.Dom0.Report("errpath.foreign-self"));
        Assert.All(boot.Results, r => Assert.Equal("ok", r.Report("status")));
    }

    [Fact]
    public void A_release_newer_than_the_stub_knows_is_said_to_be_and_its_domains_are_asked_with_the_stable_query()
    {
        // A Xen 4.23 whose domctl interface version the stub cannot know (0x19 here).
        var release = new SimulatedXenRelease(4, 23, 0, "a release after 4.22");
        using MachineBoot boot = Boot(release, staticChannels: false);
        Assert.All(boot.Results, r => Assert.True(r.Report("status") == "ok", boot.Describe()));
        Assert.Contains("GuestStub: warning: Xen 4.23 is newer than the releases the stub knows (4.15 to 4.22): it asks for the domains "
            + "with XEN_DOMCTL_get_domain_state, whose interface is stable\n", boot.Dom0.Output);
        Assert.Equal("2", boot.Dom0.Report("peers.found"));
        Assert.Equal("ok", boot.Dom0.Report("domains.wait"));
        Assert.DoesNotContain(boot.Model(0).CallLog, l => l.StartsWith("XEN_DOMCTL_getdomaininfo", StringComparison.Ordinal));
    }

    [Fact]
    public void An_interface_version_xen_refuses_is_named_with_the_release_the_stub_took_it_from()
    {
        // A Xen 4.14 (0x12): the stub knows 4.15 onwards and tries 4.15's 0x13, which Xen refuses.
        var release = new SimulatedXenRelease(4, 14, 0, "a release before 4.15") { DomctlInterfaceVersion = 0x12 };
        using MachineBoot boot = Boot(release, domUs: 1);
        Assert.Contains("GuestStub: warning: Xen 4.14 is older than the releases the stub knows (4.15 to 4.22): it uses 4.15's domctl "
            + "interface version, 0x13\n", boot.Dom0.Output);
        string refusal = "XEN_DOMCTL_getdomaininfo dom=0 interface_version=0x13: -EACCES (-13) (Xen 4.14 is older than the releases the "
            + "stub knows, 4.15 to 4.22: it tried 4.15's interface version)";
        Assert.Equal("error " + refusal, boot.Dom0.Report("status"));
        Assert.Contains($"; discovery failed: {refusal}", boot.Dom0.Output);
    }

    [Fact]
    public void A_known_release_whose_xen_refuses_its_interface_version_names_the_version_tried()
    {
        // A vendor 4.20 built with another domctl interface than the release's header.
        var release = SimulatedXenRelease.Xen420 with { DomctlInterfaceVersion = 0x42 };
        using MachineBoot boot = Boot(release, domUs: 1);
        Assert.Equal("error XEN_DOMCTL_getdomaininfo dom=0 interface_version=0x17: -EACCES (-13)", boot.Dom0.Report("status"));
    }

    [Theory]
    [InlineData("4.17", true)]
    [InlineData("4.20", false)]
    public void Getdomaininfo_finds_the_next_domain_up_to_4_17_and_refuses_a_missing_one_after(string version, bool findsNext)
    {
        SimulatedXenRelease release = SimulatedXenRelease.Parse(version);
        Assert.Equal(findsNext, release.GetDomainInfoFindsNext);
        using MachineBoot boot = Boot(release, domUs: 1);
        // The enumeration ends with -ESRCH past the last domain either way: dom 2 does not exist.
        Assert.Contains(boot.Model(0).CallLog, l => l.StartsWith("XEN_DOMCTL_getdomaininfo(dom 2,", StringComparison.Ordinal) && l.EndsWith(" = -3"));
    }

    [Theory]
    [InlineData("4.17", "Xen 4.17.7 (Debian 12's xen-hypervisor-4.17-arm64)")]
    [InlineData("4.20", "Xen 4.20.4 (Debian 13's xen-hypervisor-4.20-arm64)")]
    [InlineData("4.21.2", "Xen 4.21.2 (xen.git RELEASE-4.21.2, the build in shared/xen)")]
    [InlineData("4.20.2", "Xen 4.20.2 (Xen 4.20.2)")]
    public void Releases_are_named_by_series_or_point_release(string text, string described) =>
        Assert.StartsWith(described, SimulatedXenRelease.Parse(text).Describe());

    [Theory]
    [InlineData("4")]
    [InlineData("4.x")]
    [InlineData("4.19")]
    [InlineData("4.14.0")]
    [InlineData("4.20.4.1")]
    public void A_release_the_model_cannot_be_is_refused_with_what_it_can(string text)
    {
        var e = Assert.Throws<FormatException>(() => SimulatedXenRelease.Parse(text));
        Assert.Contains(text, e.Message);
    }
}
