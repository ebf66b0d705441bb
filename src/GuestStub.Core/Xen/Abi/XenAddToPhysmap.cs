using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct xen_add_to_physmap (memory.h), 24 bytes: map Xen's page <see cref="Idx"/>
/// of <see cref="Space"/> at guest frame <see cref="Gpfn"/>.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct XenAddToPhysmap
{
    public const int SizeBytes = 24;
    public const int DomidOffset = 0;
    public const int SizeOffset = 2;
    public const int SpaceOffset = 4;
    public const int IdxOffset = 8;
    public const int GpfnOffset = 16;

    [FieldOffset(DomidOffset)] public ushort Domid;
    /// <summary>Only for XENMAPSPACE_gmfn_range; 0 otherwise.</summary>
    [FieldOffset(SizeOffset)] public ushort Size;
    [FieldOffset(SpaceOffset)] public uint Space;
    [FieldOffset(IdxOffset)] public ulong Idx;
    [FieldOffset(GpfnOffset)] public ulong Gpfn;
}
