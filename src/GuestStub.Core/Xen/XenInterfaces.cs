using System;

namespace GuestStub.Xen;

/// <summary>
/// What the stub writes to Xen's versioned interfaces, chosen once from what Xen says it is
/// (XENVER_version: major.minor), as Linux chooses from Xen's answers in one place rather than
/// branching on versions where it calls. Every caller of a versioned interface reads it from
/// here (<see cref="Setup.XenIdentity.Interfaces"/>); nothing else compares versions.
///
/// The table (<see cref="DomctlVersions"/>) is XEN_DOMCTL_INTERFACE_VERSION from
/// xen/include/public/domctl.h at each release tag of xen.git (RELEASE-4.15.0 .. RELEASE-4.22.0,
/// the same at every point release of a series): do_domctl refuses any other value with -EACCES
/// before it looks at the command. Only the commands is_stable_domctl() names take version 0
/// instead: XEN_DOMCTL_get_domain_state, from 4.21 (common/domctl.c).
///
/// A release the table does not know: the domains are asked with XEN_DOMCTL_get_domain_state
/// when the release is newer than 4.21 (a stable interface, so the stub need not know the
/// release's domctl version), and with getdomaininfo at the nearest release's interface version
/// otherwise; <see cref="Known"/> is false, so the report says so, and a refusal names the
/// version tried (<see cref="XenFailure.WithInterfaceVersion"/>).
/// </summary>
public readonly struct XenInterfaces
{
    /// <summary>The oldest release in the table.</summary>
    public const uint OldestMajor = 4, OldestMinor = 15;

    /// <summary>The first release with XEN_DOMCTL_get_domain_state (stable, version 0).</summary>
    public const uint GetDomainStateMinor = 21;

    /// <summary>XEN_DOMCTL_INTERFACE_VERSION of 4.15, 4.16, ..., 4.22 (xen.git, public/domctl.h
    /// at RELEASE-4.N.0; unchanged within each series).</summary>
    private static ReadOnlySpan<byte> DomctlVersions => new byte[]
    {
        0x13, // 4.15
        0x14, // 4.16
        0x15, // 4.17
        0x16, // 4.18
        0x17, // 4.19
        0x17, // 4.20
        0x17, // 4.21
        0x18, // 4.22
    };

    public readonly uint Major;
    public readonly uint Minor;
    /// <summary>The release is in the table.</summary>
    public readonly bool Known;
    /// <summary>Newer than the table's newest (false: known, or older than its oldest).</summary>
    public readonly bool Newer;
    /// <summary>XEN_DOMCTL_INTERFACE_VERSION: the release's, or the nearest known release's.</summary>
    public readonly byte DomctlVersion;
    /// <summary>The domains are asked with XEN_DOMCTL_get_domain_state (else getdomaininfo).</summary>
    public readonly bool HasGetDomainState;

    private XenInterfaces(uint major, uint minor, bool known, bool newer, byte domctlVersion, bool hasGetDomainState)
    {
        Major = major;
        Minor = minor;
        Known = known;
        Newer = newer;
        DomctlVersion = domctlVersion;
        HasGetDomainState = hasGetDomainState;
    }

    /// <summary>The newest release in the table (4.22).</summary>
    public static uint NewestMinor => OldestMinor + (uint)DomctlVersions.Length - 1;

    /// <summary>The interfaces of Xen <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public static XenInterfaces For(uint major, uint minor)
    {
        bool older = major < OldestMajor || (major == OldestMajor && minor < OldestMinor);
        bool newer = major > OldestMajor || (major == OldestMajor && minor > NewestMinor);
        int index = older ? 0 : newer ? DomctlVersions.Length - 1 : (int)(minor - OldestMinor);
        bool stateQuery = newer || (!older && minor >= GetDomainStateMinor);
        return new XenInterfaces(major, minor, !older && !newer, newer, DomctlVersions[index], stateQuery);
    }

    /// <summary>The release whose interface version the stub uses, for a report: the running one
    /// when known, else the nearest in the table.</summary>
    public uint TableMinor => Known ? Minor : Newer ? NewestMinor : OldestMinor;

    /// <summary>The running release packed for <see cref="XenFailure.WithInterfaceVersion"/>
    /// (major &lt;&lt; 8 | minor) when the table does not know it; 0 when it does.</summary>
    public ushort UnknownRelease => Known ? (ushort)0 : (ushort)((Major & 0xFF) << 8 | (Minor & 0xFF));
}

/// <summary>The releases of <see cref="XenInterfaces"/> as the report names them.</summary>
public static class XenInterfacesText
{
    /// <summary>"4.15 to 4.22".</summary>
    public static void KnownReleases<TSink>(ref TSink sink) where TSink : struct, Text.ITextSink
    {
        Release(ref sink, XenInterfaces.OldestMajor, XenInterfaces.OldestMinor);
        sink.Write(" to "u8);
        Release(ref sink, XenInterfaces.OldestMajor, XenInterfaces.NewestMinor);
    }

    /// <summary>"MAJOR.MINOR".</summary>
    public static void Release<TSink>(ref TSink sink, uint major, uint minor) where TSink : struct, Text.ITextSink
    {
        Text.TextFormat.Decimal(ref sink, major);
        sink.Write("."u8);
        Text.TextFormat.Decimal(ref sink, minor);
    }
}
