using GuestStub.Xen.Abi;

namespace GuestStub.Xen;

/// <summary>
/// xen_version: the hypervisor's version and feature bits (xen/include/public/version.h,
/// features.h). Linux reads the features in xen_setup_features(); a failing get_features
/// leaves them zero there, and the callers here do the same.
/// </summary>
public static unsafe class XenVersion
{
    /// <summary>XENFEAT_auto_translated_physmap.</summary>
    public const int FeatureAutoTranslatedPhysmap = 2;
    /// <summary>XENFEAT_dom0: this domain is the hardware domain (domid 0).</summary>
    public const int FeatureDom0 = 11;
    /// <summary>XENFEAT_direct_mapped (Xen 4.16+): guest frame == machine frame.</summary>
    public const int FeatureDirectMapped = 17;

    /// <summary>XENVER_version: (major &lt;&lt; 16) | minor, or the failure.</summary>
    public static XenFailure Query<THc>(ref THc hc, out uint major, out uint minor) where THc : struct, IXenHypercalls
    {
        long result = hc.Hypercall(HypercallNumber.XenVersion, XenVersionOp.Version, 0, 0, 0, 0);
        if (result < 0)
        {
            major = minor = 0;
            return XenFailure.FromResult(XenCall.XenVersion, result);
        }
        major = (uint)((ulong)result >> 16) & 0xFFFF;
        minor = (uint)result & 0xFFFF;
        return XenFailure.None;
    }

    /// <summary>XENVER_get_features for submap 0 (features 0..31).</summary>
    public static XenFailure GetFeatures<THc>(ref THc hc, out uint submap0) where THc : struct, IXenHypercalls
    {
        XenFeatureInfo info = default;
        info.SubmapIdx = 0;
        long result = hc.Hypercall(HypercallNumber.XenVersion, XenVersionOp.GetFeatures, (ulong)&info, 0, 0, 0);
        submap0 = result < 0 ? 0 : info.Submap;
        return result < 0 ? XenFailure.FromResult(XenCall.GetFeatures, result) : XenFailure.None;
    }

    public static bool Has(uint submap0, int feature) => (submap0 & (1u << feature)) != 0;
}
