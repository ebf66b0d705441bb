using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct xen_add_to_physmap_batch (memory.h), 32 bytes: map <see cref="Size"/> pages of
/// <see cref="Space"/> (XENMAPSPACE_gmfn_foreign: frames <see cref="Idxs"/> of
/// <see cref="ForeignDomid"/>) at the caller's frames <see cref="Gpfns"/>; Xen writes one errno
/// per page into <see cref="Errs"/>. The three are guest handles (addresses of arrays).</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct XenAddToPhysmapBatch
{
    public const int SizeBytes = 32;
    public const int DomidOffset = 0;
    public const int SpaceOffset = 2;
    public const int SizeOffset = 4;
    public const int ForeignDomidOffset = 6;
    public const int IdxsOffset = 8;
    public const int GpfnsOffset = 16;
    public const int ErrsOffset = 24;

    [FieldOffset(DomidOffset)] public ushort Domid;
    [FieldOffset(SpaceOffset)] public ushort Space;
    [FieldOffset(SizeOffset)] public ushort Size;
    /// <summary>u.foreign_domid: the domain whose frames are mapped.</summary>
    [FieldOffset(ForeignDomidOffset)] public ushort ForeignDomid;
    [FieldOffset(IdxsOffset)] public ulong Idxs;
    [FieldOffset(GpfnsOffset)] public ulong Gpfns;
    [FieldOffset(ErrsOffset)] public ulong Errs;
}
