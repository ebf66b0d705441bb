using System;
using System.Collections.Generic;

namespace GuestStub.Elf;

public sealed partial class ElfFile
{
    /// <summary>
    /// Checks the model's consistency: links between sections, symbol and section indexes, alignments,
    /// segment sizes and overlaps, and that every value fits the file's class. Returns the findings
    /// (errors, warnings) rather than throwing; an empty list means nothing to report.
    /// </summary>
    public IReadOnlyList<ElfDiagnostic> Verify()
    {
        var bag = new ElfDiagnosticBag();
        VerifyInto(bag, null);
        return bag.Items;
    }

    private void VerifyInto(ElfDiagnosticBag d, ulong? fileLength)
    {
        VerifyHeader(d);
        VerifySegments(d);
        VerifySections(d);
        VerifySectionOverlaps(d, fileLength);
    }

    private void VerifyHeader(ElfDiagnosticBag d)
    {
        if (Header.Class is not (ElfClass.Elf32 or ElfClass.Elf64))
            d.Error(ElfDiagnosticCode.UnsupportedClass, "EI_CLASS", ElfHeader.Layout.ClassOffset, $"class {(byte)Header.Class} is not ELF32 or ELF64");
        if (Header.Encoding is not (ElfEncoding.LittleEndian or ElfEncoding.BigEndian))
            d.Error(ElfDiagnosticCode.UnsupportedEncoding, "EI_DATA", ElfHeader.Layout.EncodingOffset, $"encoding {(byte)Header.Encoding} is not little or big endian");
        CheckWidth(d, "e_entry", ElfHeader.Layout.EntryOffset, Header.Entry);
    }

    private void CheckWidth(ElfDiagnosticBag d, string field, ulong? offset, ulong value)
    {
        if (value > Header.MaxWord)
            d.Error(ElfDiagnosticCode.ValueTooWide, field, offset, $"value 0x{value:x} does not fit a 32-bit file");
    }

    private void VerifySegments(ElfDiagnosticBag d)
    {
        ElfClass c = Header.Class;
        for (int i = 0; i < Segments.Count; i++)
        {
            ElfSegment s = Segments[i];
            string name = $"program header {i}";
            ulong? alignField = ProgramHeaderFieldOffset(i, ElfSegment.Layout.AlignmentOffset(c));
            CheckWidth(d, name + " p_offset", ProgramHeaderFieldOffset(i, ElfSegment.Layout.OffsetOffset(c)), s.Offset);
            CheckWidth(d, name + " p_vaddr", ProgramHeaderFieldOffset(i, ElfSegment.Layout.VirtualAddressOffset(c)), s.VirtualAddress);
            CheckWidth(d, name + " p_paddr", ProgramHeaderFieldOffset(i, ElfSegment.Layout.PhysicalAddressOffset(c)), s.PhysicalAddress);
            CheckWidth(d, name + " p_filesz", ProgramHeaderFieldOffset(i, ElfSegment.Layout.FileSizeOffset(c)), s.FileSize);
            CheckWidth(d, name + " p_memsz", ProgramHeaderFieldOffset(i, ElfSegment.Layout.MemorySizeOffset(c)), s.MemorySize);
            CheckWidth(d, name + " p_align", alignField, s.Alignment);
            if (!ElfBounds.IsPowerOfTwoOrZero(s.Alignment))
                d.Add(s.IsLoad ? ElfSeverity.Error : ElfSeverity.Warning, ElfDiagnosticCode.BadAlignment, name + " p_align", alignField,
                    $"alignment 0x{s.Alignment:x} is not a power of two");
            if (!s.IsLoad)
                continue;
            if (s.FileSize > s.MemorySize)
                d.Error(ElfDiagnosticCode.FileSizeExceedsMemorySize, name + " p_filesz", ProgramHeaderFieldOffset(i, ElfSegment.Layout.FileSizeOffset(c)),
                    $"PT_LOAD file size 0x{s.FileSize:x} exceeds its memory size 0x{s.MemorySize:x}");
            // System V ABI: loadable segments have p_vaddr congruent to p_offset modulo p_align.
            if (s.Alignment > 1 && ElfBounds.IsPowerOfTwoOrZero(s.Alignment) && (s.Offset % s.Alignment) != (s.VirtualAddress % s.Alignment))
                d.Error(ElfDiagnosticCode.MisalignedSegment, name + " p_vaddr", ProgramHeaderFieldOffset(i, ElfSegment.Layout.VirtualAddressOffset(c)),
                    $"PT_LOAD p_vaddr 0x{s.VirtualAddress:x} and p_offset 0x{s.Offset:x} differ modulo p_align 0x{s.Alignment:x}");
            for (int j = 0; j < i; j++)
            {
                ElfSegment o = Segments[j];
                if (o.IsLoad && ElfBounds.Overlap(s.VirtualAddress, s.MemorySize, o.VirtualAddress, o.MemorySize))
                    d.Error(ElfDiagnosticCode.SegmentOverlap, name + " p_vaddr/p_memsz", ProgramHeaderFieldOffset(i, ElfSegment.Layout.VirtualAddressOffset(c)),
                        $"PT_LOAD [0x{s.VirtualAddress:x}, +0x{s.MemorySize:x}) overlaps PT_LOAD {j} [0x{o.VirtualAddress:x}, +0x{o.MemorySize:x}) in memory");
            }
        }
    }

    private void VerifySections(ElfDiagnosticBag d)
    {
        int word = Header.WordSize;
        int count = _sections.Count;
        for (int i = 1; i < count; i++)
        {
            ElfSection s = _sections[i];
            string name = $"section header {i} ('{s.Name}')";
            ulong? Field(int fieldOffset) => SectionHeaderFieldOffset(i, fieldOffset);
            CheckWidth(d, name + " sh_flags", Field(ElfSection.Layout.FlagsOffset), (ulong)s.Flags);
            CheckWidth(d, name + " sh_addr", Field(ElfSection.Layout.AddressOffset(word)), s.Address);
            CheckWidth(d, name + " sh_offset", Field(ElfSection.Layout.OffsetOffset(word)), s.Offset);
            CheckWidth(d, name + " sh_size", Field(ElfSection.Layout.SizeOffset(word)), s.Size);
            CheckWidth(d, name + " sh_addralign", Field(ElfSection.Layout.AlignmentOffset(word)), s.Alignment);
            CheckWidth(d, name + " sh_entsize", Field(ElfSection.Layout.EntrySizeOffset(word)), s.EntrySize);
            if (!ElfBounds.IsPowerOfTwoOrZero(s.Alignment))
                d.Error(ElfDiagnosticCode.BadAlignment, name + " sh_addralign", Field(ElfSection.Layout.AlignmentOffset(word)),
                    $"alignment 0x{s.Alignment:x} is not a power of two");
            else if (s.IsAllocated && s.Alignment > 1 && s.Address % s.Alignment != 0)
                d.Warning(ElfDiagnosticCode.MisalignedAddress, name + " sh_addr", Field(ElfSection.Layout.AddressOffset(word)),
                    $"address 0x{s.Address:x} is not a multiple of its alignment 0x{s.Alignment:x}");

            ulong? linkField = Field(ElfSection.Layout.LinkOffset(word));
            switch (s)
            {
                case ElfSymbolTable symbols:
                    if (symbols.StringTable is null)
                        d.Error(ElfDiagnosticCode.BadLink, name + " sh_link", linkField,
                            $"sh_link {s.Link} does not name a string table");
                    if (s.Info > (uint)symbols.Symbols.Count)
                        d.Warning(ElfDiagnosticCode.BadInfo, name + " sh_info", Field(ElfSection.Layout.InfoOffset(word)),
                            $"first non-local symbol index {s.Info} is past the {symbols.Symbols.Count} symbols");
                    VerifySymbolSections(d, symbols);
                    break;
                case ElfRelocationTable relocations:
                    if (s.Link != 0 && relocations.SymbolTable is null)
                        d.Error(ElfDiagnosticCode.BadLink, name + " sh_link", linkField,
                            $"sh_link {s.Link} does not name a symbol table");
                    if ((s.Flags & ElfSectionFlags.InfoLink) != 0 && s.Info >= (uint)count)
                        d.Error(ElfDiagnosticCode.BadInfo, name + " sh_info", Field(ElfSection.Layout.InfoOffset(word)),
                            $"relocated section index {s.Info} is not below the section count {count}");
                    VerifyRelocationSymbols(d, relocations);
                    break;
                default:
                    if (s.Type is ElfSectionType.Hash or ElfSectionType.GnuHash or ElfSectionType.Dynamic or ElfSectionType.SymbolTableSectionIndex
                        && s.Link >= (uint)count)
                        d.Error(ElfDiagnosticCode.BadLink, name + " sh_link", linkField,
                            $"sh_link {s.Link} is not below the section count {count}");
                    break;
            }
        }
    }

    private void VerifySymbolSections(ElfDiagnosticBag d, ElfSymbolTable table)
    {
        int bad = 0;
        ulong entrySize = (ulong)ElfSymbol.Layout.Size(Header.Class);
        for (int j = 0; j < table.Symbols.Count; j++)
        {
            ElfSymbol s = table.Symbols[j];
            if (s.SectionIndex == 0 || ElfSectionIndex.IsReserved(s.SectionIndex) || s.SectionIndex < _sections.Count)
                continue;
            if (bad++ < MaxDiagnosticsPerTable)
                d.Warning(ElfDiagnosticCode.BadSectionIndex, $"symbol {j} ('{s.Name}') of '{table.Name}' st_shndx",
                    table.IsPlaced ? table.Offset + (ulong)j * entrySize : null,
                    $"section index {s.SectionIndex} is not below the section count {_sections.Count}");
        }
    }

    private void VerifyRelocationSymbols(ElfDiagnosticBag d, ElfRelocationTable table)
    {
        int symbolCount = table.SymbolTable?.Symbols.Count ?? 1;
        int bad = 0;
        ulong entrySize = (ulong)ElfRelocationTable.EntryLayout.Size(Header.Class, table.HasAddends);
        for (int j = 0; j < table.Entries.Count; j++)
        {
            if (table.Entries[j].SymbolIndex < (uint)symbolCount)
                continue;
            if (bad++ < MaxDiagnosticsPerTable)
                d.Error(ElfDiagnosticCode.BadSymbolIndex, $"relocation {j} of '{table.Name}' r_info",
                    table.IsPlaced ? table.Offset + (ulong)j * entrySize + (ulong)ElfRelocationTable.EntryLayout.InfoOffset(Header.WordSize) : null,
                    $"symbol index {table.Entries[j].SymbolIndex} is not below the symbol count {symbolCount}");
        }
    }

    /// <summary>Sections with file content must not share bytes with each other or with the headers.</summary>
    private void VerifySectionOverlaps(ElfDiagnosticBag d, ulong? fileLength)
    {
        var ranges = new List<(ulong Start, ulong Size, string What)>();
        ranges.Add((0, (ulong)ElfHeader.Layout.Size(Header.Class), "the ELF header"));
        if (Segments.Count > 0)
            ranges.Add((Header.ProgramHeaderOffset, (ulong)Segments.Count * (ulong)ElfSegment.Layout.Size(Header.Class), "the program header table"));
        if (_sections.Count > 0 && _readSectionCount == _sections.Count)
            ranges.Add((Header.SectionHeaderOffset, (ulong)_sections.Count * (ulong)ElfSection.Layout.Size(Header.Class), "the section header table"));
        foreach (ElfSection s in _sections)
            if (s.HasFileContent && s.IsPlaced && s.Size != 0 && (fileLength is not { } n || ElfBounds.FitsWithin(s.Offset, s.Size, n)))
                ranges.Add((s.Offset, s.Size, $"section {s.Index} ('{s.Name}')"));
        ranges.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Size.CompareTo(b.Size));
        int reported = 0;
        ulong furthestEnd = 0;
        string furthest = "";
        foreach (var r in ranges)
        {
            if (r.Size == 0)
                continue;
            if (r.Start < furthestEnd && reported++ < MaxDiagnosticsPerTable)
                d.Warning(ElfDiagnosticCode.SectionOverlap, r.What, r.Start,
                    $"[0x{r.Start:x}, +0x{r.Size:x}) overlaps {furthest}");
            ulong end = ElfBounds.EndOf(r.Start, r.Size);
            if (end > furthestEnd)
            {
                furthestEnd = end;
                furthest = r.What;
            }
        }
    }
}
