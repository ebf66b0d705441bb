using GuestStub.Xen;
using Xunit;

namespace GuestStub.Tests.Xen;

/// <summary>
/// The table of interface versions by release, held to xen.git: XEN_DOMCTL_INTERFACE_VERSION in
/// xen/include/public/domctl.h at the tags RELEASE-4.15.0 .. RELEASE-4.22.0 (read there: the
/// value is the same at every point release of a series, 4.17.0 .. 4.17.7, 4.20.0 .. 4.20.4,
/// 4.21.0 .. 4.21.2), and XEN_DOMCTL_get_domain_state, a stable command (interface version 0,
/// common/domctl.c is_stable_domctl), from RELEASE-4.21.0. The numbers are written out here,
/// not taken from the table.
/// </summary>
public class XenInterfacesTests
{
    [Theory]
    [InlineData(15u, 0x13)]
    [InlineData(16u, 0x14)]
    [InlineData(17u, 0x15)]
    [InlineData(18u, 0x16)]
    [InlineData(19u, 0x17)]
    [InlineData(20u, 0x17)]
    [InlineData(21u, 0x17)]
    [InlineData(22u, 0x18)]
    public void Each_known_release_has_its_headers_domctl_interface_version(uint minor, int version)
    {
        XenInterfaces x = XenInterfaces.For(4, minor);
        Assert.True(x.Known);
        Assert.False(x.Newer);
        Assert.Equal(version, x.DomctlVersion);
        Assert.Equal(minor >= 21, x.HasGetDomainState);
        Assert.Equal((ushort)0, x.UnknownRelease);
    }

    [Theory]
    [InlineData(4u, 23u)]
    [InlineData(4u, 99u)]
    [InlineData(5u, 0u)]
    public void A_newer_release_is_asked_with_the_stable_state_query_and_known_to_be_unknown(uint major, uint minor)
    {
        XenInterfaces x = XenInterfaces.For(major, minor);
        Assert.False(x.Known);
        Assert.True(x.Newer);
        Assert.True(x.HasGetDomainState);
        Assert.Equal(0x18, x.DomctlVersion); // 4.22's, the newest known, should anything need it
        Assert.Equal(22u, x.TableMinor);
    }

    [Theory]
    [InlineData(4u, 14u)]
    [InlineData(4u, 0u)]
    [InlineData(3u, 4u)]
    public void An_older_release_uses_the_oldest_known_version_and_no_state_query(uint major, uint minor)
    {
        XenInterfaces x = XenInterfaces.For(major, minor);
        Assert.False(x.Known);
        Assert.False(x.Newer);
        Assert.False(x.HasGetDomainState);
        Assert.Equal(0x13, x.DomctlVersion);
        Assert.Equal(15u, x.TableMinor);
    }

    [Fact]
    public void A_refused_interface_version_is_named_and_an_unknown_release_said_so()
    {
        XenFailure known = XenFailure.FromResult(XenCall.DomctlGetDomainInfo, -13).WithDom(1)
            .WithInterfaceVersion(0x17, XenInterfaces.For(4, 20).UnknownRelease);
        Assert.Equal("XEN_DOMCTL_getdomaininfo dom=1 interface_version=0x17: -EACCES (-13)", Text(known));

        XenFailure older = XenFailure.FromResult(XenCall.DomctlGetDomainInfo, -13).WithDom(0)
            .WithInterfaceVersion(0x13, XenInterfaces.For(4, 14).UnknownRelease);
        Assert.Equal("XEN_DOMCTL_getdomaininfo dom=0 interface_version=0x13: -EACCES (-13) (Xen 4.14 is older than the releases "
            + "the stub knows, 4.15 to 4.22: it tried 4.15's interface version)", Text(older));
    }

    private static string Text(in XenFailure failure)
    {
        var sink = new GuestStub.Tests.ExtendedRegions.ReportSink();
        failure.Write(ref sink);
        return sink.ToString();
    }
}
