using System;

namespace GuestStub.Elf;

public sealed partial class ElfSegment
{
    internal void Write(Span<byte> record, ElfClass c, ElfEncoding e)
    {
        var w = new ElfDataWriter(record, c, e);
        w.U32(Layout.TypeOffset, (uint)Type);
        w.U32(Layout.FlagsOffset(c), (uint)Flags);
        w.Word(Layout.OffsetOffset(c), Offset);
        w.Word(Layout.VirtualAddressOffset(c), VirtualAddress);
        w.Word(Layout.PhysicalAddressOffset(c), PhysicalAddress);
        w.Word(Layout.FileSizeOffset(c), FileSize);
        w.Word(Layout.MemorySizeOffset(c), MemorySize);
        w.Word(Layout.AlignmentOffset(c), Alignment);
    }
}
