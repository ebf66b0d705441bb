using System;

namespace GuestStub.Elf;

public sealed partial class ElfSegment
{
    /// <summary>Decodes one bounds-checked program header record.</summary>
    internal static ElfSegment Read(ReadOnlySpan<byte> record, ElfClass c, ElfEncoding e)
    {
        var r = new ElfDataReader(record, c, e);
        return new ElfSegment
        {
            Type = (ElfSegmentType)r.U32(Layout.TypeOffset),
            Flags = (ElfSegmentFlags)r.U32(Layout.FlagsOffset(c)),
            Offset = r.Word(Layout.OffsetOffset(c)),
            VirtualAddress = r.Word(Layout.VirtualAddressOffset(c)),
            PhysicalAddress = r.Word(Layout.PhysicalAddressOffset(c)),
            FileSize = r.Word(Layout.FileSizeOffset(c)),
            MemorySize = r.Word(Layout.MemorySizeOffset(c)),
            Alignment = r.Word(Layout.AlignmentOffset(c)),
        };
    }
}
