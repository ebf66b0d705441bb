using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct xen_feature_info (version.h), 8 bytes: XENVER_get_features fills
/// <see cref="Submap"/> with features 32*<see cref="SubmapIdx"/> .. +31.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct XenFeatureInfo
{
    public const int SizeBytes = 8;
    public const int SubmapIdxOffset = 0;
    public const int SubmapOffset = 4;

    [FieldOffset(SubmapIdxOffset)] public uint SubmapIdx;
    [FieldOffset(SubmapOffset)] public uint Submap;
}
