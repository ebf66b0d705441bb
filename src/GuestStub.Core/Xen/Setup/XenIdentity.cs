using GuestStub.Platform;

namespace GuestStub.Xen.Setup;

/// <summary>
/// Who the stub is to Xen: the hypervisor's version and feature bits (Linux xen_guest_init and
/// xen_setup_features) and the stub's own domain id. Dom0 knows it is 0 from XENFEAT_dom0; a
/// domU takes <c>gueststub.domid</c> when given.
/// </summary>
public readonly struct XenIdentity
{
    /// <summary>XENVER_version answered; <see cref="VersionMajor"/> and <see cref="VersionMinor"/> hold it.</summary>
    public readonly bool HasVersion;
    public readonly uint VersionMajor;
    public readonly uint VersionMinor;
    /// <summary>XENVER_get_features answered (Linux: a failure leaves the features zero).</summary>
    public readonly bool HasFeatures;
    public readonly uint Features;
    public readonly bool IsDom0;
    public readonly bool HasDomid;
    public readonly ushort Domid;

    private XenIdentity(uint major, uint minor, bool hasFeatures, uint features, bool hasDomid, ushort domid)
    {
        HasVersion = true;
        VersionMajor = major;
        VersionMinor = minor;
        HasFeatures = hasFeatures;
        Features = features;
        IsDom0 = hasFeatures && XenVersion.Has(features, XenVersion.FeatureDom0);
        HasDomid = hasDomid;
        Domid = domid;
    }

    /// <summary>Asks Xen. Fails only when XENVER_version fails (then nothing else is known).</summary>
    public static XenFailure Query<THc>(ref THc hc, in BootOptions options, out XenIdentity identity)
        where THc : struct, IXenHypercalls
    {
        identity = default;
        XenFailure f = XenVersion.Query(ref hc, out uint major, out uint minor);
        if (f.IsFailure)
            return f;
        bool hasFeatures = !XenVersion.GetFeatures(ref hc, out uint features).IsFailure;
        bool isDom0 = hasFeatures && XenVersion.Has(features, XenVersion.FeatureDom0);
        bool hasDomid = options.HasDomid || isDom0;
        ushort domid = options.HasDomid ? options.Domid : (ushort)0;
        identity = new XenIdentity(major, minor, hasFeatures, features, hasDomid, domid);
        return XenFailure.None;
    }
}
