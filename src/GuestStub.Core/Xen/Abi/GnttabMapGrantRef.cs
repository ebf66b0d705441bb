using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct gnttab_map_grant_ref (grant_table.h), 32 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct GnttabMapGrantRef
{
    public const int SizeBytes = 32;
    public const int HostAddrOffset = 0;
    public const int FlagsOffset = 8;
    public const int RefOffset = 12;
    public const int DomOffset = 16;
    public const int StatusOffset = 18;
    public const int HandleOffset = 20;
    public const int DevBusAddrOffset = 24;

    /// <summary>GNTMAP_host_map: map at <see cref="HostAddr"/> (a guest-physical address on Arm).</summary>
    public const uint GntmapHostMap = 1 << 1;
    public const uint GntmapReadonly = 1 << 2;

    [FieldOffset(HostAddrOffset)] public ulong HostAddr;
    [FieldOffset(FlagsOffset)] public uint Flags;
    [FieldOffset(RefOffset)] public uint Ref;
    [FieldOffset(DomOffset)] public ushort Dom;
    [FieldOffset(StatusOffset)] public short Status;
    [FieldOffset(HandleOffset)] public uint Handle;
    [FieldOffset(DevBusAddrOffset)] public ulong DevBusAddr;
}
