using GuestStub.Platform;

namespace GuestStub.Xen.Setup;

/// <summary>Where the stub's own domain id came from.</summary>
public enum DomidSource : byte
{
    Unknown,
    /// <summary>Xen itself, through an event channel (<see cref="EventChannelOp.QueryOwnDomid"/>).</summary>
    EventChannel,
    /// <summary>XENFEAT_dom0, when the event-channel query failed.</summary>
    Dom0Feature,
    /// <summary>gueststub.domid, when the event-channel query failed.</summary>
    BootArgument,
}

/// <summary>
/// Who the stub is to Xen: the hypervisor's version and feature bits (Linux xen_guest_init and
/// xen_setup_features), the interfaces that version takes (<see cref="XenInterfaces"/>, decided
/// here once) and the stub's own domain id, asked of Xen through an event channel
/// (no xenstore needed, so a dom0less domU knows it too). <c>gueststub.domid</c> is only a
/// cross-check: when it disagrees with Xen, that is an error naming both.
/// </summary>
public readonly struct XenIdentity
{
    /// <summary>XENVER_version answered; <see cref="VersionMajor"/> and <see cref="VersionMinor"/> hold it.</summary>
    public readonly bool HasVersion;
    public readonly uint VersionMajor;
    public readonly uint VersionMinor;
    /// <summary>What the stub writes to this release's versioned interfaces (its domctl version).</summary>
    public readonly XenInterfaces Interfaces;
    /// <summary>XENVER_get_features answered (Linux: a failure leaves the features zero).</summary>
    public readonly bool HasFeatures;
    public readonly uint Features;
    public readonly bool IsDom0;
    public readonly DomidSource DomidSource;
    public readonly ushort Domid;
    /// <summary>Why Xen could not be asked for the domid (None when it answered).</summary>
    public readonly XenFailure DomidQueryFailure;

    private XenIdentity(uint major, uint minor, bool hasFeatures, uint features, DomidSource source, ushort domid, in XenFailure queryFailure)
    {
        HasVersion = true;
        VersionMajor = major;
        VersionMinor = minor;
        Interfaces = XenInterfaces.For(major, minor);
        HasFeatures = hasFeatures;
        Features = features;
        // XENFEAT_dom0; or, when the features could not be read, domid 0 from Xen itself (in Xen
        // 4.17 the hardware domain is domain 0), so a dom0 still serves and waits for its peers.
        IsDom0 = hasFeatures ? XenVersion.Has(features, XenVersion.FeatureDom0) : source == DomidSource.EventChannel && domid == 0;
        DomidSource = source;
        Domid = domid;
        DomidQueryFailure = queryFailure;
    }

    public bool HasDomid => DomidSource != DomidSource.Unknown;

    /// <summary>Asks Xen. Fails when XENVER_version fails (then nothing else is known), or when
    /// gueststub.domid names another domain than Xen does.</summary>
    public static XenFailure Query<THc>(ref THc hc, in BootOptions options, out XenIdentity identity)
        where THc : struct, IXenHypercalls
    {
        identity = default;
        XenFailure f = XenVersion.Query(ref hc, out uint major, out uint minor);
        if (f.IsFailure)
            return f;
        bool hasFeatures = !XenVersion.GetFeatures(ref hc, out uint features).IsFailure;
        bool isDom0 = hasFeatures && XenVersion.Has(features, XenVersion.FeatureDom0);

        XenFailure query = EventChannelOp.QueryOwnDomid(ref hc, out ushort domid);
        DomidSource source = DomidSource.EventChannel;
        if (query.IsFailure)
        {
            source = options.HasDomid ? DomidSource.BootArgument : isDom0 ? DomidSource.Dom0Feature : DomidSource.Unknown;
            domid = options.HasDomid ? options.Domid : (ushort)0;
        }
        identity = new XenIdentity(major, minor, hasFeatures, features, source, domid, query);
        if (source == DomidSource.EventChannel && options.HasDomid && options.Domid != domid)
            return XenFailure.DomidMismatch(options.Domid, domid);
        return XenFailure.None;
    }
}
