using System;

namespace GuestStub.Elf;

public abstract partial class ElfSection
{
    /// <summary>Decodes one bounds-checked section header record into a raw section (content read later).</summary>
    internal static ElfRawSection ReadHeader(ReadOnlySpan<byte> record, ElfClass c, ElfEncoding e)
    {
        int word = c == ElfClass.Elf64 ? 8 : 4;
        var r = new ElfDataReader(record, c, e);
        var section = new ElfRawSection
        {
            NameIndex = r.U32(Layout.NameOffset),
            Type = (ElfSectionType)r.U32(Layout.TypeOffset),
            Flags = (ElfSectionFlags)r.Word(Layout.FlagsOffset),
            Address = r.Word(Layout.AddressOffset(word)),
            Offset = r.Word(Layout.OffsetOffset(word)),
            Size = r.Word(Layout.SizeOffset(word)),
            Link = r.U32(Layout.LinkOffset(word)),
            Info = r.U32(Layout.InfoOffset(word)),
            Alignment = r.Word(Layout.AlignmentOffset(word)),
            EntrySize = r.Word(Layout.EntrySizeOffset(word)),
            IsPlaced = true,
        };
        section.SlotSize = section.Size;
        return section;
    }

    internal void WriteHeader(Span<byte> record, ElfClass c, ElfEncoding e)
    {
        int word = c == ElfClass.Elf64 ? 8 : 4;
        var w = new ElfDataWriter(record, c, e);
        w.U32(Layout.NameOffset, NameIndex);
        w.U32(Layout.TypeOffset, (uint)Type);
        w.Word(Layout.FlagsOffset, (ulong)Flags);
        w.Word(Layout.AddressOffset(word), Address);
        w.Word(Layout.OffsetOffset(word), Offset);
        w.Word(Layout.SizeOffset(word), Size);
        w.U32(Layout.LinkOffset(word), Link);
        w.U32(Layout.InfoOffset(word), Info);
        w.Word(Layout.AlignmentOffset(word), Alignment);
        w.Word(Layout.EntrySizeOffset(word), EntrySize);
    }
}
