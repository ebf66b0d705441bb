using System.Collections.Generic;
using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// Checks on what the second pass decoded (<see cref="ElfInput"/>): every symbol's name lies in its
/// string table and every relocation names a symbol that exists. LibObjectFile reports the first
/// without a place and does not check the second while reading; these name the entry's field.
/// </summary>
internal static class ElfContentChecks
{
    public static void Check(ElfFile file, ElfFile headers, List<ElfFieldError> errors)
    {
        foreach (ElfSection section in file.Sections)
        {
            if (section is ElfSymbolTable symbols)
                CheckSymbols(file, symbols, errors);
            else if (section is ElfRelocationTable relocations)
                CheckRelocations(file, relocations, errors);
        }
    }

    private static void CheckSymbols(ElfFile file, ElfSymbolTable table, List<ElfFieldError> errors)
    {
        ulong stringBytes = table.Link.Section is ElfStringTable strings ? strings.Size : 0;
        for (int k = 0; k < table.Entries.Count; k++)
        {
            ElfSymbol symbol = table.Entries[k];
            ElfSectionLink shndx = symbol.SectionLink;
            if (shndx.Section is null && shndx.SpecialIndex != 0 && shndx.SpecialIndex < ElfNative.SHN_LORESERVE && shndx.SpecialIndex >= file.Sections.Count)
            {
                errors.Add(new ElfFieldError($"'{table.Name.Value}' symbol {k} st_shndx", ElfFieldOffsets.Symbol(file, table.Position, k, "st_shndx"),
                    $"section {shndx.SpecialIndex} does not exist ({file.Sections.Count} sections)"));
                return;
            }
            if (symbol.Name.Index != 0 && symbol.Name.Index >= stringBytes)
            {
                errors.Add(new ElfFieldError($"'{table.Name.Value}' symbol {k} st_name", ElfFieldOffsets.Symbol(file, table.Position, k, "st_name"),
                    $"{symbol.Name.Index} lies outside its string table ({stringBytes} bytes)"));
                return;
            }
        }
    }

    private static void CheckRelocations(ElfFile file, ElfRelocationTable table, List<ElfFieldError> errors)
    {
        int symbolCount = table.Link.Section is ElfSymbolTable symbols ? symbols.Entries.Count : 0;
        for (int k = 0; k < table.Entries.Count; k++)
        {
            if (table.Entries[k].SymbolIndex >= symbolCount)
            {
                errors.Add(new ElfFieldError($"'{table.Name.Value}' relocation {k} r_info",
                    ElfFieldOffsets.RelocationInfo(file, table.Position, k, table.IsRelocationWithAddends),
                    $"names symbol {table.Entries[k].SymbolIndex}, but the symbol table has {symbolCount}"));
                return;
            }
        }
    }
}
