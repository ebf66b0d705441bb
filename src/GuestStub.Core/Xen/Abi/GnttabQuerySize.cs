using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct gnttab_query_size (grant_table.h), 16 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct GnttabQuerySize
{
    public const int SizeBytes = 16;
    public const int DomOffset = 0;
    public const int NrFramesOffset = 4;
    public const int MaxNrFramesOffset = 8;
    public const int StatusOffset = 12;

    [FieldOffset(DomOffset)] public ushort Dom;
    [FieldOffset(NrFramesOffset)] public uint NrFrames;
    [FieldOffset(MaxNrFramesOffset)] public uint MaxNrFrames;
    [FieldOffset(StatusOffset)] public short Status;
}
