using System;
using System.Collections.Generic;

namespace GuestStub.Elf;

/// <summary>
/// An SHT_SYMTAB or SHT_DYNSYM section. <see cref="ElfSection.Link"/> names the string table and
/// <see cref="ElfSection.Info"/> is one past the last local symbol (System V ABI: locals come first).
/// </summary>
public sealed class ElfSymbolTable : ElfSection
{
    public ElfSymbolTable(string name = ".symtab", ElfSectionType type = ElfSectionType.SymbolTable)
    {
        Name = name;
        Type = type;
    }

    public List<ElfSymbol> Symbols { get; } = new();

    /// <summary>The linked string table, or null when sh_link does not name one.</summary>
    public ElfStringTable? StringTable =>
        File is { } f && Link < (uint)f.Sections.Count ? f.Sections[(int)Link] as ElfStringTable : null;

    /// <summary>The first symbol with this name (index 0, the null symbol, is never returned), or null.</summary>
    public ElfSymbol? Find(string name)
    {
        for (int i = 1; i < Symbols.Count; i++)
            if (Symbols[i].Name == name)
                return Symbols[i];
        return null;
    }

    /// <summary>
    /// Adds a symbol: a global or weak one at the end; a local one after the last local, moving
    /// sh_info and renumbering the relocations and group signatures that refer to this table. Returns its index.
    /// </summary>
    public int Add(ElfSymbol symbol)
    {
        if (Symbols.Count == 0)
        {
            Symbols.Add(new ElfSymbol());
            Info = 1;
        }
        if (symbol.Binding != ElfSymbolBinding.Local)
        {
            Symbols.Add(symbol);
            return Symbols.Count - 1;
        }
        int at = (int)Math.Min(Info, (uint)Symbols.Count);
        Symbols.Insert(at, symbol);
        Info = (uint)at + 1;
        if (File is { } file)
            foreach (ElfSection s in file.Sections)
            {
                if (s is ElfRelocationTable rel && rel.Link == (uint)Index)
                    rel.RenumberSymbolsFrom((uint)at);
                // A section group's sh_info names its signature symbol.
                else if (s.Type == ElfSectionType.Group && s.Link == (uint)Index && s.Info >= (uint)at)
                    s.Info++;
            }
        return at;
    }

    public override ulong GetContentSize(ElfClass elfClass) => (ulong)Symbols.Count * (ulong)ElfSymbol.Layout.Size(elfClass);

    internal override void PrepareForWrite()
    {
        ElfStringTable? strings = StringTable;
        if (strings is null)
            return;
        foreach (ElfSymbol s in Symbols)
            if (!strings.TryGetString(s.NameIndex, out string current) || current != s.Name)
                s.NameIndex = strings.GetOrAdd(s.Name);
    }

    internal override void WriteContent(Span<byte> destination, ElfClass elfClass, ElfEncoding encoding)
    {
        int size = ElfSymbol.Layout.Size(elfClass);
        for (int i = 0; i < Symbols.Count; i++)
            Symbols[i].Write(destination.Slice(i * size, size), elfClass, encoding);
    }
}
