using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct gnttab_unmap_grant_ref (grant_table.h), 24 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct GnttabUnmapGrantRef
{
    public const int SizeBytes = 24;
    public const int HostAddrOffset = 0;
    public const int DevBusAddrOffset = 8;
    public const int HandleOffset = 16;
    public const int StatusOffset = 20;

    [FieldOffset(HostAddrOffset)] public ulong HostAddr;
    [FieldOffset(DevBusAddrOffset)] public ulong DevBusAddr;
    [FieldOffset(HandleOffset)] public uint Handle;
    [FieldOffset(StatusOffset)] public short Status;
}
