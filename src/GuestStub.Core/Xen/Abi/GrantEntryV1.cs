using System.Runtime.InteropServices;
using GuestStub.Memory;

namespace GuestStub.Xen.Abi;

/// <summary>
/// struct grant_entry_v1 (grant_table.h), 8 bytes; 512 per 4 KiB grant frame. The granting
/// domain writes <see cref="Frame"/> and <see cref="Domid"/> first, a write barrier, then
/// <see cref="Flags"/>: Xen may act on the entry as soon as the flags permit access.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct GrantEntryV1
{
    public const int SizeBytes = 8;
    public const int FlagsOffset = 0;
    public const int DomidOffset = 2;
    public const int FrameOffset = 4;
    public const int EntriesPerFrame = (int)(PageSize.Bytes / SizeBytes);

    /// <summary>GTF_permit_access: the domain in <see cref="Domid"/> may map <see cref="Frame"/>.</summary>
    public const ushort GtfPermitAccess = 1;
    /// <summary>GTF_readonly.</summary>
    public const ushort GtfReadonly = 1 << 2;
    /// <summary>GTF_reading, GTF_writing: set by Xen while the grant is mapped.</summary>
    public const ushort GtfReading = 1 << 3;
    public const ushort GtfWriting = 1 << 4;

    /// <summary>GNTTAB_NR_RESERVED_ENTRIES: entries 0-7 are reserved for the toolstack by convention.</summary>
    public const uint ReservedEntries = 8;

    [FieldOffset(FlagsOffset)] public ushort Flags;
    [FieldOffset(DomidOffset)] public ushort Domid;
    [FieldOffset(FrameOffset)] public uint Frame;
}
