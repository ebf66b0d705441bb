using System;
using System.Collections.Generic;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;

namespace GuestStub.Packager;

/// <summary>
/// Splits an allocated section's bytes among the symbols in it. ilc gives methods a size but most
/// data symbols none, so a symbol without a size owns the bytes up to the next symbol; one with a
/// size owns exactly those. Bytes no symbol covers (alignment padding, the bytes before the first
/// symbol) have no owner. AArch64 mapping symbols ($x, $d), section and file symbols are ignored.
/// </summary>
public static class SymbolSpans
{
    /// <summary>A run of bytes [Start, Start + Size) of a section and the symbol owning it (null: none).</summary>
    public readonly record struct Span(ulong Start, ulong Size, ElfSymbol? Owner);

    /// <param name="rank">Among symbols at one address the lowest rank owns the bytes (then a sized one, then by name).</param>
    public static List<Span> Split(ElfFile file, ElfSection section, Func<ElfSymbol, int>? rank = null)
    {
        rank ??= _ => 0;
        var symbols = new List<ElfSymbol>();
        if (file.SymbolTable() is { } table)
            foreach (ElfSymbol s in table.Entries)
                if (s.SectionLink.Section == section && IsContentSymbol(s) && s.Value >= section.VirtualAddress && s.Value < section.VirtualAddress + section.Size)
                    symbols.Add(s);
        // By address; at one address the best-ranked, then a sized one, then by name, first.
        symbols.Sort((a, b) => a.Value != b.Value ? a.Value.CompareTo(b.Value)
            : rank(a) != rank(b) ? rank(a).CompareTo(rank(b))
            : (a.Size != 0) != (b.Size != 0) ? (a.Size != 0 ? -1 : 1)
            : string.CompareOrdinal(a.Name.Value, b.Name.Value));

        var spans = new List<Span>();
        ulong sectionEnd = section.VirtualAddress + section.Size;
        ulong at = section.VirtualAddress;
        for (int i = 0; i < symbols.Count; i++)
        {
            ElfSymbol s = symbols[i];
            if (i > 0 && symbols[i - 1].Value == s.Value)
                continue;
            ulong next = sectionEnd;
            for (int j = i + 1; j < symbols.Count; j++)
                if (symbols[j].Value > s.Value)
                {
                    next = symbols[j].Value;
                    break;
                }
            ulong start = Math.Max(at, s.Value);
            if (start > at)
                spans.Add(new Span(at, start - at, null));
            ulong end = s.Size != 0 ? Math.Min(sectionEnd, Math.Max(start, s.Value + s.Size)) : next;
            if (end < start)
                end = start;
            if (end > start)
                spans.Add(new Span(start, end - start, s));
            at = Math.Max(at, end);
        }
        if (at < sectionEnd)
            spans.Add(new Span(at, sectionEnd - at, null));
        return spans;
    }

    private static bool IsContentSymbol(ElfSymbol s) =>
        s.Type is not (ElfSymbolType.Section or ElfSymbolType.File)
        && s.Name.Value is { Length: > 0 } name
        && !(name.Length >= 2 && name[0] == '$' && name[1] is 'x' or 'd' or 'a' or 't');
}
