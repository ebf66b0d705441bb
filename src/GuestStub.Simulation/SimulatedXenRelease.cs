using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GuestStub.Simulation;

/// <summary>
/// Which Xen release the model is, and what of it the stub can see, each difference read from
/// that release's own source in xen.git (its RELEASE-X.Y.Z tag), independently of Core's table
/// (GuestStub.Xen.XenInterfaces), so a wrong entry there shows up as a refused call here:
/// <list type="bullet">
/// <item><see cref="DomctlInterfaceVersion"/>: XEN_DOMCTL_INTERFACE_VERSION of public/domctl.h;
/// do_domctl refuses any other with -EACCES (the stable XEN_DOMCTL_get_domain_state takes 0);</item>
/// <item><see cref="HasGetDomainState"/>: XEN_DOMCTL_get_domain_state, from 4.21;</item>
/// <item><see cref="GetDomainInfoFindsNext"/>: getdomaininfo answers with the first domain at or
/// above the id asked up to 4.17, and -ESRCH for a missing id from 4.18 (commit 31c6554974);</item>
/// <item><see cref="RejectsPseudoDomainForeignMaps"/>: xenmem_add_to_physmap_one looks the foreign
/// domain up with rcu_lock_remote_domain_by_id from 4.20.4, 4.21.2 and 4.22.0 ("xen/arm: Reject
/// pseudo-domain foreign mappings"), so DOMID_SELF is -ESRCH and the caller's own id -EPERM;
/// before, get_pg_owner makes DOMID_SELF the caller (-EINVAL) and its own id -ESRCH;</item>
/// <item><see cref="HasRunstatePhysArea"/>: XENFEAT_runstate_phys_area (bit 18) in
/// XENVER_get_features from 4.18 (common/kernel.c; XENFEAT_vcpu_time_phys_area is x86 only).</item>
/// </list>
/// </summary>
public sealed record SimulatedXenRelease(uint Major, uint Minor, uint Patch, string Source)
{
    /// <summary>XEN_DOMCTL_INTERFACE_VERSION of 4.15 .. 4.22 (public/domctl.h at RELEASE-4.N.0).</summary>
    private static readonly Dictionary<uint, uint> DomctlVersionByMinor = new()
    {
        [15] = 0x13, [16] = 0x14, [17] = 0x15, [18] = 0x16, [19] = 0x17, [20] = 0x17, [21] = 0x17, [22] = 0x18,
    };

    /// <summary>Debian 12's xen-hypervisor-4.17-arm64 (4.17.7), the project's default.</summary>
    public static readonly SimulatedXenRelease Xen417 = new(4, 17, 7, "Debian 12's xen-hypervisor-4.17-arm64");

    /// <summary>Debian 13's xen-hypervisor-4.20-arm64 (4.20.4).</summary>
    public static readonly SimulatedXenRelease Xen420 = new(4, 20, 4, "Debian 13's xen-hypervisor-4.20-arm64");

    /// <summary>The 4.21.2 build in shared/xen (static memory, static shared memory).</summary>
    public static readonly SimulatedXenRelease Xen421 = new(4, 21, 2, "xen.git RELEASE-4.21.2, the build in shared/xen");

    public static readonly SimulatedXenRelease Xen422 = new(4, 22, 0, "xen.git RELEASE-4.22.0");

    /// <summary>The releases <c>gueststub plan --xen</c> names by MAJOR.MINOR.</summary>
    public static IReadOnlyList<SimulatedXenRelease> Modelled { get; } = new[] { Xen417, Xen420, Xen421, Xen422 };

    /// <summary>The interface version do_domctl accepts for every command but the stable ones.
    /// A release newer than 4.22 gets 0x19 unless told otherwise: a release the stub cannot know.</summary>
    public uint DomctlInterfaceVersion { get; init; } = Major == 4 && DomctlVersionByMinor.TryGetValue(Minor, out uint v) ? v : 0x19;

    public bool HasGetDomainState { get; init; } = AtLeast(Major, Minor, 4, 21);

    public bool GetDomainInfoFindsNext { get; init; } = !AtLeast(Major, Minor, 4, 18);

    public bool RejectsPseudoDomainForeignMaps { get; init; } =
        AtLeast(Major, Minor, 4, 22) || (Major == 4 && Minor == 21 && Patch >= 2) || (Major == 4 && Minor == 20 && Patch >= 4);

    public bool HasRunstatePhysArea { get; init; } = AtLeast(Major, Minor, 4, 18);

    /// <summary>"4.20.4".</summary>
    public string Version => $"{Major}.{Minor}.{Patch}";

    /// <summary>A modelled release by "MAJOR.MINOR" (the one <see cref="Modelled"/> lists), or any
    /// release by "MAJOR.MINOR.PATCH" from 4.15.0 on.</summary>
    public static SimulatedXenRelease Parse(string text)
    {
        string[] parts = text.Split('.');
        if (parts.Length is < 2 or > 3 || !parts.All(p => uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new FormatException($"'{text}' is not a Xen release: MAJOR.MINOR or MAJOR.MINOR.PATCH, such as 4.20 or 4.20.3");
        uint major = uint.Parse(parts[0], CultureInfo.InvariantCulture), minor = uint.Parse(parts[1], CultureInfo.InvariantCulture);
        SimulatedXenRelease? preset = Modelled.FirstOrDefault(r => r.Major == major && r.Minor == minor);
        if (parts.Length == 2)
            return preset ?? throw new FormatException(
                $"Xen {text} is not modelled by name: give the point release (MAJOR.MINOR.PATCH), or one of {string.Join(", ", Modelled.Select(r => $"{r.Major}.{r.Minor}"))}");
        if (!AtLeast(major, minor, 4, 15))
            throw new FormatException($"Xen {text}: the model starts at 4.15");
        uint patch = uint.Parse(parts[2], CultureInfo.InvariantCulture);
        return preset is not null && preset.Patch == patch ? preset : new SimulatedXenRelease(major, minor, patch, $"Xen {major}.{minor}.{patch}");
    }

    /// <summary>What the model does differently in this release, in one line (for <c>gueststub plan</c>).</summary>
    public string Describe() =>
        $"Xen {Version} ({Source}): domctl interface version 0x{DomctlInterfaceVersion:x2}" +
        (HasGetDomainState ? ", XEN_DOMCTL_get_domain_state" : "") +
        (GetDomainInfoFindsNext ? ", getdomaininfo finds the next domain" : ", getdomaininfo -ESRCH for a missing domain") +
        $", foreign map of DOMID_SELF {(RejectsPseudoDomainForeignMaps ? "-ESRCH" : "-EINVAL")}" +
        (HasRunstatePhysArea ? ", XENFEAT_runstate_phys_area" : "");

    private static bool AtLeast(uint major, uint minor, uint wantMajor, uint wantMinor) =>
        major > wantMajor || (major == wantMajor && minor >= wantMinor);
}
