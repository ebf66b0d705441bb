using System;

namespace GuestStub.Elf;

public sealed partial class ElfFile
{
    /// <summary>
    /// Appends a section (existing indexes do not change). It gets a file offset on the next
    /// <see cref="Write"/>, after the existing content; its name goes into the section name table.
    /// </summary>
    public T AddSection<T>(T section) where T : ElfSection
    {
        if (section.File is not null)
            throw new InvalidOperationException($"section '{section.Name}' already belongs to a file");
        section.File = this;
        section.Index = _sections.Count;
        section.IsPlaced = false;
        _sections.Add(section);
        return section;
    }

    /// <summary>Adds a non-allocated SHT_NOTE section holding <paramref name="notes"/>.</summary>
    public ElfNoteSection AddNoteSection(string name, params ElfNote[] notes)
    {
        var section = new ElfNoteSection(name);
        section.Notes.AddRange(notes);
        return AddSection(section);
    }

    /// <summary>
    /// Adds a symbol to .symtab (creating .symtab and .strtab when the file has none). A local symbol
    /// goes after the existing locals (relocations are renumbered); others go at the end.
    /// </summary>
    public ElfSymbol AddSymbol(string name, ulong value, ulong size, ElfSymbolBinding binding, ElfSymbolType type, ElfSection? section)
    {
        ElfSymbolTable table = SymbolTable ?? CreateSymbolTable();
        var symbol = new ElfSymbol
        {
            Name = name,
            Value = value,
            Size = size,
            Binding = binding,
            Type = type,
            SectionIndex = section is null ? ElfSectionIndex.Absolute : checked((ushort)section.Index),
        };
        if (table.StringTable is { } strings)
            symbol.NameIndex = strings.GetOrAdd(name);
        table.Add(symbol);
        return symbol;
    }

    private ElfSymbolTable CreateSymbolTable()
    {
        ElfStringTable strings = AddSection(new ElfStringTable(".strtab"));
        var table = new ElfSymbolTable
        {
            Link = (uint)strings.Index,
            Info = 1,
            Alignment = (ulong)Header.WordSize,
            EntrySize = (ulong)ElfSymbol.Layout.Size(Header.Class),
        };
        table.Symbols.Add(new ElfSymbol());
        return AddSection(table);
    }
}
