using System;
using System.Collections.Generic;
using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// Lookups on LibObjectFile's <see cref="ElfFile"/> that its model leaves to the caller: a
/// section or symbol by name, the PT_LOAD segments, the permission bits by their gABI names, and
/// a segment's bytes in the file it was read from.
/// </summary>
public static class ElfFileLookups
{
    /// <summary>gABI p_flags bits.</summary>
    public const uint PF_X = 1, PF_W = 2, PF_R = 4;

    /// <summary>The first section with this name (index 0 excluded), or null.</summary>
    public static ElfSection? FindSection(this ElfFile file, string name)
    {
        foreach (ElfSection s in file.Sections)
            if (s.SectionIndex != 0 && s.Name.Value == name)
                return s;
        return null;
    }

    /// <summary>The static symbol table (SHT_SYMTAB), or null when the file is stripped.</summary>
    public static ElfSymbolTable? SymbolTable(this ElfFile file)
    {
        foreach (ElfSection s in file.Sections)
            if (s is ElfSymbolTable t && s.Type == ElfSectionType.SymbolTable)
                return t;
        return null;
    }

    /// <summary>The dynamic symbol table (SHT_DYNSYM), or null.</summary>
    public static ElfSymbolTable? DynamicSymbolTable(this ElfFile file)
    {
        foreach (ElfSection s in file.Sections)
            if (s is ElfSymbolTable t && s.Type == ElfSectionType.DynamicLinkerSymbolTable)
                return t;
        return null;
    }

    /// <summary>A symbol by name from .symtab, or null.</summary>
    public static ElfSymbol? FindSymbol(this ElfFile file, string name)
    {
        if (file.SymbolTable() is { } table)
            foreach (ElfSymbol s in table.Entries)
                if (s.Name.Value == name)
                    return s;
        return null;
    }

    /// <summary>st_shndx SHN_UNDEF: referenced here, defined nowhere in the file.</summary>
    public static bool IsUndefined(this ElfSymbol symbol) =>
        symbol.SectionLink.Section is null && symbol.SectionLink.SpecialIndex == 0;

    /// <summary>The PT_LOAD segments, in program header order.</summary>
    public static List<ElfSegment> LoadSegments(this ElfFile file)
    {
        var loads = new List<ElfSegment>();
        foreach (ElfSegment s in file.Segments)
            if (s.Type == ElfSegmentTypeCore.Load)
                loads.Add(s);
        return loads;
    }

    public static bool IsExecutable(this ElfSegment s) => (s.Flags.Value & PF_X) != 0;

    public static bool IsWritable(this ElfSegment s) => (s.Flags.Value & PF_W) != 0;

    public static bool IsAllocated(this ElfSection s) => (s.Flags & ElfSectionFlags.Alloc) != 0;

    /// <summary>True when the segment's memory image holds <paramref name="address"/>.</summary>
    public static bool ContainsAddress(this ElfSegment s, ulong address) =>
        address >= s.VirtualAddress && address - s.VirtualAddress < s.SizeInMemory;

    /// <summary>The p_filesz bytes at p_offset of <paramref name="bytes"/>; empty when they are not all there.</summary>
    public static byte[] FileBytes(this ElfSegment s, byte[] bytes) =>
        s.Position <= (ulong)bytes.Length && s.Size <= (ulong)bytes.Length - s.Position
            ? bytes.AsSpan((int)s.Position, (int)s.Size).ToArray()
            : Array.Empty<byte>();

    /// <summary>Writes the file with LibObjectFile and returns its bytes.</summary>
    public static byte[] ToBytes(this ElfFile file)
    {
        using var stream = new System.IO.MemoryStream();
        file.Write(stream);
        return stream.ToArray();
    }
}
