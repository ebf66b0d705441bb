using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct xen_mem_acquire_resource (memory.h), 32 bytes: map <see cref="NrFrames"/>
/// frames of a resource of domain <see cref="Domid"/>, starting at <see cref="Frame"/>. An
/// auto-translated caller (every Arm guest) passes in <see cref="FrameList"/> the frames of its
/// own where Xen maps them.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct XenMemAcquireResource
{
    public const int SizeBytes = 32;
    public const int DomidOffset = 0;
    public const int TypeOffset = 2;
    public const int IdOffset = 4;
    public const int NrFramesOffset = 8;
    public const int PadOffset = 12;
    public const int FrameOffset = 16;
    public const int FrameListOffset = 24;

    /// <summary>XENMEM_resource_grant_table, and its id for the shared (entry) frames.</summary>
    public const ushort TypeGrantTable = 1;
    public const uint GrantTableIdShared = 0;

    [FieldOffset(DomidOffset)] public ushort Domid;
    [FieldOffset(TypeOffset)] public ushort Type;
    [FieldOffset(IdOffset)] public uint Id;
    [FieldOffset(NrFramesOffset)] public uint NrFrames;
    [FieldOffset(PadOffset)] public uint Pad;
    [FieldOffset(FrameOffset)] public ulong Frame;
    [FieldOffset(FrameListOffset)] public ulong FrameList;
}
