using System;
using System.Collections.Generic;
using System.Numerics;
using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// Checks on the first-pass model (<see cref="ElfInput"/>): the ELF header's identity and table
/// placement, then every section header and program header, before LibObjectFile reads what they
/// point at. Each finding names the header field whose value is wrong, at its offset in the file.
/// Every <c>offset + size</c> is compared as <c>size &lt;= length - offset</c>, so nothing wraps.
/// </summary>
internal static class ElfTableChecks
{
    /// <summary>The ELF header: class, byte order, header size and where the two tables lie.</summary>
    public static void CheckHeader(ElfFile file, ulong length, List<ElfFieldError> errors)
    {
        if (file.FileClass != ElfFileClass.Is32 && file.FileClass != ElfFileClass.Is64)
        {
            errors.Add(new ElfFieldError("e_ident[EI_CLASS]", ElfNative.EI_CLASS,
                $"class {(byte)file.FileClass} is neither ELFCLASS32 (1) nor ELFCLASS64 (2)"));
            return;
        }
        if (file.Encoding != ElfEncoding.Lsb && file.Encoding != ElfEncoding.Msb)
        {
            errors.Add(new ElfFieldError("e_ident[EI_DATA]", ElfNative.EI_DATA,
                $"data encoding {(byte)file.Encoding} is neither ELFDATA2LSB (1) nor ELFDATA2MSB (2)"));
            return;
        }
        ulong headerSize = ElfFieldOffsets.HeaderSize(file);
        if (length < headerSize)
        {
            errors.Add(new ElfFieldError("ELF header", 0, $"the file is {length} bytes, shorter than the ELF header ({headerSize})"));
            return;
        }
        ElfFileLayout layout = file.Layout;
        if (layout.SizeOfElfHeader < headerSize || layout.SizeOfElfHeader > length)
            errors.Add(new ElfFieldError("e_ehsize", ElfFieldOffsets.Header(file, "e_ehsize"),
                $"{layout.SizeOfElfHeader} is not a header size: at least {headerSize}, within the file ({length} bytes)"));

        // LibObjectFile reads a table wherever its offset is not 0, whatever the count says.
        if (layout.OffsetOfProgramHeaderTable != 0)
        {
            ulong entry = ElfFieldOffsets.ProgramHeaderSize(file);
            if (layout.SizeOfProgramHeaderEntry != entry)
                errors.Add(new ElfFieldError("e_phentsize", ElfFieldOffsets.Header(file, "e_phentsize"),
                    $"{layout.SizeOfProgramHeaderEntry} is not the size of a program header ({entry})"));
            else if (!TableFits(layout.OffsetOfProgramHeaderTable, layout.ProgramHeaderCount, entry, length))
                errors.Add(new ElfFieldError("e_phoff", ElfFieldOffsets.Header(file, "e_phoff"),
                    $"the program header table (0x{layout.OffsetOfProgramHeaderTable:x}, {layout.ProgramHeaderCount} entries) runs past the end of the file ({length} bytes)"));
        }

        if (layout.OffsetOfSectionHeaderTable != 0)
        {
            ulong entry = ElfFieldOffsets.SectionHeaderSize(file);
            ulong count = Math.Max(layout.SectionHeaderCount, 1);
            if (layout.SizeOfSectionHeaderEntry != entry)
                errors.Add(new ElfFieldError("e_shentsize", ElfFieldOffsets.Header(file, "e_shentsize"),
                    $"{layout.SizeOfSectionHeaderEntry} is not the size of a section header ({entry})"));
            else if (!TableFits(layout.OffsetOfSectionHeaderTable, count, entry, length))
                errors.Add(new ElfFieldError("e_shoff", ElfFieldOffsets.Header(file, "e_shoff"),
                    $"the section header table (0x{layout.OffsetOfSectionHeaderTable:x}, {count} entries) runs past the end of the file ({length} bytes)"));
            else if (layout.SectionStringTableIndex != 0 && layout.SectionStringTableIndex >= (ulong)file.Sections.Count)
                errors.Add(new ElfFieldError("e_shstrndx", ElfFieldOffsets.Header(file, "e_shstrndx"),
                    $"section {layout.SectionStringTableIndex} does not exist ({file.Sections.Count} sections)"));
        }
    }

    /// <summary>Everything: the header, then each section header and program header.</summary>
    public static void Check(ElfFile file, byte[] bytes, List<ElfFieldError> errors)
    {
        ulong length = (ulong)bytes.Length;
        CheckHeader(file, length, errors);
        if (errors.Count > 0)
            return;
        for (int i = 1; i < file.Sections.Count; i++)
            CheckSection(file, bytes, file.Sections[i], i, errors);
        for (int i = 0; i < file.Segments.Count; i++)
            CheckSegment(file, length, i, errors);
    }

    private static void CheckSection(ElfFile file, byte[] bytes, ElfSection s, int i, List<ElfFieldError> errors)
    {
        ulong length = (ulong)bytes.Length;
        ElfSectionType type = s is UnreadSection u ? u.ReadType : s.Type;
        string name = SectionNames.Describe(file, bytes, i);
        void Error(string field, string message) =>
            errors.Add(new ElfFieldError($"section header {i} {field}", ElfFieldOffsets.SectionHeader(file, i, field), message));

        if (s is UnreadSection { HasFileContent: true })
        {
            if (s.Position > length)
                Error("sh_offset", $"{name} starts at 0x{s.Position:x}, past the end of the file ({length} bytes)");
            else if (s.Size > length - s.Position)
                Error("sh_size", $"{name} (0x{s.Position:x}, 0x{s.Size:x} bytes) runs past the end of the file ({length} bytes)");
        }
        uint names = file.Layout.SectionStringTableIndex;
        if (names != 0 && names < (uint)file.Sections.Count && s.Name.Index >= file.Sections[(int)names].Size)
            Error("sh_name", $"{s.Name.Index} lies outside the section name table ({file.Sections[(int)names].Size} bytes)");
        if (s.VirtualAddressAlignment > 1 && !BitOperations.IsPow2(s.VirtualAddressAlignment))
            Error("sh_addralign", $"{name}: 0x{s.VirtualAddressAlignment:x} is not a power of two");
        int count = file.Sections.Count;
        if (LinkIndex(s.Link) is { } link && link >= count)
            Error("sh_link", $"{name} links to section {link}, which does not exist ({count} sections)");
        if ((s.Flags & ElfSectionFlags.InfoLink) != 0 && LinkIndex(s.Info) is { } info && info >= count)
            Error("sh_info", $"{name} refers to section {info}, which does not exist ({count} sections)");

        switch (type)
        {
            case ElfSectionType.SymbolTable:
            case ElfSectionType.DynamicLinkerSymbolTable:
                Table(ElfFieldOffsets.SymbolSize(file), "symbol");
                if (LinkIndex(s.Link) is { } strings && strings < count && TypeOf(file.Sections[strings]) != ElfSectionType.StringTable)
                    Error("sh_link", $"{name} names section {strings} as its string table, which is {TypeOf(file.Sections[strings])}, not SHT_STRTAB");
                break;
            case ElfSectionType.Relocation:
            case ElfSectionType.RelocationAddends:
                Table(ElfFieldOffsets.RelocationSize(file, type == ElfSectionType.RelocationAddends), "relocation");
                if (LinkIndex(s.Link) is not { } symbols || symbols >= count
                    || TypeOf(file.Sections[symbols]) is not (ElfSectionType.SymbolTable or ElfSectionType.DynamicLinkerSymbolTable))
                    Error("sh_link", $"{name} must link to a symbol table (SHT_SYMTAB or SHT_DYNSYM)");
                break;
        }

        void Table(ulong entrySize, string what)
        {
            if (s.TableEntrySize != entrySize)
                Error("sh_entsize", $"{name}: {s.TableEntrySize} is not the size of a {what} entry ({entrySize})");
            else if (s.Size % entrySize != 0)
                Error("sh_size", $"{name}: 0x{s.Size:x} bytes is not a whole number of {entrySize}-byte {what} entries");
        }
    }

    private static void CheckSegment(ElfFile file, ulong length, int i, List<ElfFieldError> errors)
    {
        ElfSegment p = file.Segments[i];
        void Error(string field, string message) =>
            errors.Add(new ElfFieldError($"program header {i} {field}", ElfFieldOffsets.ProgramHeader(file, i, field), message));
        string type = ElfSegmentNames.Type(p.Type);
        if (p.Position > length)
            Error("p_offset", $"{type} starts at 0x{p.Position:x}, past the end of the file ({length} bytes)");
        else if (p.Size > length - p.Position)
            Error("p_filesz", $"{type} (0x{p.Position:x}, 0x{p.Size:x} bytes) runs past the end of the file ({length} bytes)");
        if (p.VirtualAddressAlignment > 1 && !BitOperations.IsPow2(p.VirtualAddressAlignment))
            Error("p_align", $"{type}: 0x{p.VirtualAddressAlignment:x} is not a power of two");
        if (p.Type != ElfSegmentTypeCore.Load)
            return;
        if (p.Size > p.SizeInMemory)
            Error("p_filesz", $"PT_LOAD file size 0x{p.Size:x} exceeds its memory size p_memsz 0x{p.SizeInMemory:x}");
        if (p.VirtualAddressAlignment > 1 && BitOperations.IsPow2(p.VirtualAddressAlignment)
            && p.VirtualAddress % p.VirtualAddressAlignment != p.Position % p.VirtualAddressAlignment)
            Error("p_vaddr", $"PT_LOAD at 0x{p.VirtualAddress:x} is not congruent to its p_offset 0x{p.Position:x} modulo p_align 0x{p.VirtualAddressAlignment:x}");
        for (int j = 0; j < i; j++)
        {
            ElfSegment o = file.Segments[j];
            if (o.Type == ElfSegmentTypeCore.Load && Overlap(o.VirtualAddress, o.SizeInMemory, p.VirtualAddress, p.SizeInMemory))
                Error("p_vaddr", $"PT_LOAD 0x{p.VirtualAddress:x} (+0x{p.SizeInMemory:x}) overlaps PT_LOAD {j} at 0x{o.VirtualAddress:x} (+0x{o.SizeInMemory:x}) in memory");
        }
    }

    /// <summary>The section index a link names: its section's index once resolved, else the raw value.</summary>
    internal static int? LinkIndex(ElfSectionLink link) =>
        link.Section is { } target ? target.SectionIndex : link.SpecialIndex == 0 ? null : link.SpecialIndex;

    internal static ElfSectionType TypeOf(ElfSection s) => s is UnreadSection u ? u.ReadType : s.Type;

    private static bool TableFits(ulong offset, ulong count, ulong entrySize, ulong length) =>
        count <= length / entrySize && offset <= length && count * entrySize <= length - offset;

    private static bool Overlap(ulong a, ulong aSize, ulong b, ulong bSize) =>
        aSize != 0 && bSize != 0 && a < b + Math.Min(bSize, ulong.MaxValue - b) && b < a + Math.Min(aSize, ulong.MaxValue - a);
}
