using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct xen_remove_from_physmap (memory.h), 16 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct XenRemoveFromPhysmap
{
    public const int SizeBytes = 16;
    public const int DomidOffset = 0;
    public const int GpfnOffset = 8;

    [FieldOffset(DomidOffset)] public ushort Domid;
    [FieldOffset(GpfnOffset)] public ulong Gpfn;
}
