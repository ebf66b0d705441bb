using System;
using System.Collections.Generic;

namespace GuestStub.Elf;

/// <summary>
/// An SHT_REL or SHT_RELA section. <see cref="ElfSection.Link"/> names the symbol table (0: none) and,
/// with SHF_INFO_LINK, <see cref="ElfSection.Info"/> names the section being relocated.
/// </summary>
public sealed class ElfRelocationTable : ElfSection
{
    public ElfRelocationTable(string name, bool withAddends)
    {
        Name = name;
        Type = withAddends ? ElfSectionType.Rela : ElfSectionType.Rel;
    }

    public bool HasAddends => Type == ElfSectionType.Rela;

    public List<ElfRelocation> Entries { get; } = new();

    public ElfSymbolTable? SymbolTable =>
        File is { } f && Link != 0 && Link < (uint)f.Sections.Count ? f.Sections[(int)Link] as ElfSymbolTable : null;

    /// <summary>Field offsets of Rel/Rela: r_offset, r_info, then r_addend for RELA, each one class word.</summary>
    internal static class EntryLayout
    {
        public const int OffsetOffset = 0;
        public static int InfoOffset(int word) => OffsetOffset + word;
        public static int AddendOffset(int word) => InfoOffset(word) + word;
        public static int Size(ElfClass c, bool rela)
        {
            int word = c == ElfClass.Elf64 ? 8 : 4;
            return rela ? AddendOffset(word) + word : AddendOffset(word);
        }
    }

    internal static ElfRelocation Read(ReadOnlySpan<byte> record, ElfClass c, ElfEncoding e, bool rela)
    {
        int word = c == ElfClass.Elf64 ? 8 : 4;
        var r = new ElfDataReader(record, c, e);
        return ElfRelocation.FromInfo(r.Word(EntryLayout.OffsetOffset), r.Word(EntryLayout.InfoOffset(word)),
            rela ? r.SignedWord(EntryLayout.AddendOffset(word)) : 0, c);
    }

    internal void RenumberSymbolsFrom(uint firstMoved)
    {
        for (int i = 0; i < Entries.Count; i++)
            if (Entries[i].SymbolIndex >= firstMoved)
                Entries[i] = Entries[i] with { SymbolIndex = Entries[i].SymbolIndex + 1 };
    }

    public override ulong GetContentSize(ElfClass elfClass) => (ulong)Entries.Count * (ulong)EntryLayout.Size(elfClass, HasAddends);

    internal override void WriteContent(Span<byte> destination, ElfClass elfClass, ElfEncoding encoding)
    {
        int word = elfClass == ElfClass.Elf64 ? 8 : 4;
        int size = EntryLayout.Size(elfClass, HasAddends);
        for (int i = 0; i < Entries.Count; i++)
        {
            var w = new ElfDataWriter(destination.Slice(i * size, size), elfClass, encoding);
            w.Word(EntryLayout.OffsetOffset, Entries[i].Offset);
            w.Word(EntryLayout.InfoOffset(word), Entries[i].ToInfo(elfClass));
            if (HasAddends)
                w.SignedWord(EntryLayout.AddendOffset(word), Entries[i].Addend);
        }
    }
}
