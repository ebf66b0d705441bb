using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct xen_memory_reservation (memory.h), 32 bytes: the argument of
/// increase/decrease_reservation and populate_physmap. <see cref="ExtentStart"/> is a guest
/// handle: the address of an array of <see cref="NrExtents"/> frame numbers.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct XenMemoryReservation
{
    public const int SizeBytes = 32;
    public const int ExtentStartOffset = 0;
    public const int NrExtentsOffset = 8;
    public const int ExtentOrderOffset = 16;
    public const int MemFlagsOffset = 20;
    public const int DomidOffset = 24;

    [FieldOffset(ExtentStartOffset)] public ulong ExtentStart;
    [FieldOffset(NrExtentsOffset)] public ulong NrExtents;
    [FieldOffset(ExtentOrderOffset)] public uint ExtentOrder;
    [FieldOffset(MemFlagsOffset)] public uint MemFlags;
    [FieldOffset(DomidOffset)] public ushort Domid;
}
