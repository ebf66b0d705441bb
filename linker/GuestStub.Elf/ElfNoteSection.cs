using System;
using System.Collections.Generic;

namespace GuestStub.Elf;

/// <summary>An SHT_NOTE section: a list of notes, padded to 4 bytes (or 8 when the section is aligned to 8).</summary>
public sealed class ElfNoteSection : ElfSection
{
    public ElfNoteSection(string name)
    {
        Name = name;
        Type = ElfSectionType.Note;
        Alignment = 4;
    }

    public List<ElfNote> Notes { get; } = new();

    private ulong Padding => ElfNote.PaddingFor(Alignment);

    public override ulong GetContentSize(ElfClass elfClass)
    {
        ulong size = 0;
        foreach (ElfNote note in Notes)
            size += note.EncodedSize(Padding);
        return size;
    }

    internal override void WriteContent(Span<byte> destination, ElfClass elfClass, ElfEncoding encoding)
    {
        int at = 0;
        foreach (ElfNote note in Notes)
        {
            int size = (int)note.EncodedSize(Padding);
            note.Write(destination.Slice(at, size), Padding, encoding);
            at += size;
        }
    }
}
