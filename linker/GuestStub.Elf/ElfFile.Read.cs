using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace GuestStub.Elf;

public sealed partial class ElfFile
{
    /// <summary>
    /// Reads an ELF file. Returns null only when the bytes cannot be an ELF file this library reads
    /// (bad magic, class, encoding, or shorter than the header); otherwise the model, as complete as
    /// the bytes allow. Never throws on bad input: every problem is in <paramref name="diagnostics"/>,
    /// naming the field and its byte offset.
    /// </summary>
    public static ElfFile? Read(byte[] bytes, out IReadOnlyList<ElfDiagnostic> diagnostics)
    {
        var bag = new ElfDiagnosticBag();
        ElfFile? file = ReadCore(bytes, bag);
        diagnostics = bag.Items;
        if (file is not null)
            file.ReadDiagnostics = bag.Items;
        return file;
    }

    /// <summary>Reads a file and accepts it only when no diagnostic is an error.</summary>
    public static bool TryRead(byte[] bytes, [NotNullWhen(true)] out ElfFile? file, out IReadOnlyList<ElfDiagnostic> diagnostics)
    {
        ElfFile? read = Read(bytes, out diagnostics);
        foreach (ElfDiagnostic d in diagnostics)
        {
            if (d.Severity == ElfSeverity.Error)
            {
                file = null;
                return false;
            }
        }
        file = read;
        return file is not null;
    }

    private static ElfFile? ReadCore(byte[] bytes, ElfDiagnosticBag d)
    {
        ElfHeader? header = ElfHeader.Read(bytes, d);
        if (header is null)
            return null;
        var file = new ElfFile(header) { _image = bytes };
        file.ReadSectionHeaders(d);
        file.ReadProgramHeaders(d);
        file.ReadSectionContents(d);
        file.ReadSectionNames(d);
        file.TypeSections(d);
        file.VerifyInto(d, (ulong)bytes.Length);
        return file;
    }

    private void ReadSectionHeaders(ElfDiagnosticBag d)
    {
        ElfHeader h = Header;
        int word = h.WordSize;
        ulong length = (ulong)_image.Length;
        ulong shoff = h.SectionHeaderOffset;
        ulong shoffField = (ulong)ElfHeader.Layout.SectionHeaderOffsetOffset(word);
        if (shoff == 0)
        {
            if (h.SectionHeaderCount != 0)
                d.Warning(ElfDiagnosticCode.BadSectionCount, "e_shnum", (ulong)ElfHeader.Layout.SectionHeaderCountOffset(word),
                    $"e_shnum is {h.SectionHeaderCount} but e_shoff is 0; no section headers read");
            return;
        }
        int entrySize = ElfSection.Layout.Size(h.Class);
        if (h.SectionHeaderEntrySize != entrySize)
        {
            d.Error(ElfDiagnosticCode.BadEntrySize, "e_shentsize", (ulong)ElfHeader.Layout.SectionHeaderEntrySizeOffset(word),
                $"section header entry size {h.SectionHeaderEntrySize}, expected {entrySize}");
            return;
        }
        if (!ElfBounds.FitsWithin(shoff, (ulong)entrySize, length))
        {
            d.Error(ElfDiagnosticCode.TablePastEnd, "e_shoff", shoffField,
                $"section header table at 0x{shoff:x} is past the end of the file (0x{length:x} bytes)");
            return;
        }
        ElfRawSection first = ElfSection.ReadHeader(_image.AsSpan((int)shoff, entrySize), h.Class, h.Encoding);
        // Extended numbering (gABI): e_shnum 0 means the count is in section 0's sh_size.
        ulong count = h.SectionHeaderCount != 0 ? h.SectionHeaderCount : first.Size;
        if (count == 0)
        {
            d.Warning(ElfDiagnosticCode.BadSectionCount, "e_shnum", (ulong)ElfHeader.Layout.SectionHeaderCountOffset(word),
                "e_shoff is set but the section count (e_shnum, or section 0 sh_size) is 0");
            return;
        }
        if (!ElfBounds.TableFitsWithin(shoff, count, (ulong)entrySize, length))
        {
            d.Error(ElfDiagnosticCode.TablePastEnd, "e_shoff", shoffField,
                $"section header table of {count} entries of {entrySize} bytes at 0x{shoff:x} runs past the end of the file (0x{length:x} bytes)");
            return;
        }
        for (ulong i = 0; i < count; i++)
        {
            ElfRawSection s = ElfSection.ReadHeader(_image.AsSpan((int)(shoff + i * (ulong)entrySize), entrySize), h.Class, h.Encoding);
            s.File = this;
            s.Index = _sections.Count;
            _sections.Add(s);
        }
        _readSectionTableOffset = shoff;
        _readSectionCount = _sections.Count;
    }

    private void ReadProgramHeaders(ElfDiagnosticBag d)
    {
        ElfHeader h = Header;
        int word = h.WordSize;
        ulong length = (ulong)_image.Length;
        ulong count = h.ProgramHeaderCount;
        // Extended numbering: e_phnum PN_XNUM means the count is in section 0's sh_info.
        if (count == ElfSectionIndex.ProgramHeaderExtendedCount && _sections.Count > 0)
            count = _sections[0].Info;
        if (count == 0)
            return;
        int entrySize = ElfSegment.Layout.Size(h.Class);
        if (h.ProgramHeaderEntrySize != entrySize)
        {
            d.Error(ElfDiagnosticCode.BadEntrySize, "e_phentsize", (ulong)ElfHeader.Layout.ProgramHeaderEntrySizeOffset(word),
                $"program header entry size {h.ProgramHeaderEntrySize}, expected {entrySize}");
            return;
        }
        if (!ElfBounds.TableFitsWithin(h.ProgramHeaderOffset, count, (ulong)entrySize, length))
        {
            d.Error(ElfDiagnosticCode.TablePastEnd, "e_phoff", (ulong)ElfHeader.Layout.ProgramHeaderOffsetOffset(word),
                $"program header table of {count} entries of {entrySize} bytes at 0x{h.ProgramHeaderOffset:x} runs past the end of the file (0x{length:x} bytes)");
            return;
        }
        for (ulong i = 0; i < count; i++)
        {
            ulong at = h.ProgramHeaderOffset + i * (ulong)entrySize;
            ElfSegment s = ElfSegment.Read(_image.AsSpan((int)at, entrySize), h.Class, h.Encoding);
            Segments.Add(s);
            if (s.FileSize != 0 && !ElfBounds.FitsWithin(s.Offset, s.FileSize, length))
                d.Error(ElfDiagnosticCode.ContentPastEnd, $"program header {i} p_offset/p_filesz", at + (ulong)ElfSegment.Layout.OffsetOffset(h.Class),
                    $"segment [0x{s.Offset:x}, +0x{s.FileSize:x}) runs past the end of the file (0x{length:x} bytes)");
        }
        _readSegmentCount = Segments.Count;
    }

    private void ReadSectionContents(ElfDiagnosticBag d)
    {
        ulong length = (ulong)_image.Length;
        int word = Header.WordSize;
        foreach (ElfSection section in _sections)
        {
            var s = (ElfRawSection)section;
            if (!s.HasFileContent || s.Size == 0)
                continue;
            if (!ElfBounds.FitsWithin(s.Offset, s.Size, length))
            {
                d.Error(ElfDiagnosticCode.ContentPastEnd, $"section header {s.Index} sh_offset/sh_size",
                    SectionHeaderFieldOffset(s.Index, ElfSection.Layout.OffsetOffset(word)),
                    $"section content [0x{s.Offset:x}, +0x{s.Size:x}) runs past the end of the file (0x{length:x} bytes)");
                continue;
            }
            s.Data = _image.AsSpan((int)s.Offset, (int)s.Size).ToArray();
        }
    }

    private void ReadSectionNames(ElfDiagnosticBag d)
    {
        if (_sections.Count == 0)
            return;
        int word = Header.WordSize;
        ulong index = Header.SectionNameTableIndex;
        ulong field = (ulong)ElfHeader.Layout.SectionNameTableIndexOffset(word);
        // Extended numbering: e_shstrndx SHN_XINDEX means the index is in section 0's sh_link.
        if (index == ElfSectionIndex.ExtendedIndex)
            index = _sections[0].Link;
        if (index == 0)
            return;
        if (index >= (ulong)_sections.Count)
        {
            d.Error(ElfDiagnosticCode.BadSectionIndex, "e_shstrndx", field,
                $"section name table index {index} is not below the section count {_sections.Count}");
            return;
        }
        ElfSection names = _sections[(int)index];
        if (names.Type != ElfSectionType.StringTable || names is not ElfRawSection raw)
        {
            d.Error(ElfDiagnosticCode.BadLink, "e_shstrndx", field,
                $"section name table index {index} names a section of type {ElfNames.SectionType(names.Type)}, not SHT_STRTAB");
            return;
        }
        var table = new ElfStringTable(raw.Data);
        table.CopyHeaderFrom(raw);
        table.Index = (int)index;
        Replace(table);
        SectionNameTable = table;
        foreach (ElfSection s in _sections)
        {
            if (table.TryGetString(s.NameIndex, out string name))
                s.Name = name;
            else
                d.Error(ElfDiagnosticCode.BadStringIndex, $"section header {s.Index} sh_name",
                    SectionHeaderFieldOffset(s.Index, ElfSection.Layout.NameOffset),
                    $"name index 0x{s.NameIndex:x} is outside the section name table (0x{table.Bytes.Length:x} bytes) or unterminated");
        }
    }

    /// <summary>Replaces the raw section at the same index with its typed view.</summary>
    private void Replace(ElfSection typed)
    {
        typed.File = this;
        _sections[typed.Index] = typed;
    }

    private bool ContentWasRead(ElfRawSection s) => s.Size == 0 || (ulong)s.Data.Length == s.Size;

    private void TypeSections(ElfDiagnosticBag d)
    {
        // String tables first: symbol tables resolve names through them.
        for (int i = 0; i < _sections.Count; i++)
        {
            if (_sections[i] is ElfRawSection raw && raw.Type == ElfSectionType.StringTable && ContentWasRead(raw))
            {
                var table = new ElfStringTable(raw.Data);
                table.CopyHeaderFrom(raw);
                table.Index = i;
                Replace(table);
            }
        }
        for (int i = 0; i < _sections.Count; i++)
        {
            if (_sections[i] is not ElfRawSection raw || !ContentWasRead(raw))
                continue;
            ElfSection? typed = raw.Type switch
            {
                ElfSectionType.SymbolTable or ElfSectionType.DynamicSymbolTable => ReadSymbolTable(raw, d),
                ElfSectionType.Rel or ElfSectionType.Rela => ReadRelocationTable(raw, d),
                ElfSectionType.Note => ReadNoteSection(raw, d),
                _ => null,
            };
            if (typed is not null)
            {
                typed.Index = i;
                Replace(typed);
            }
        }
    }

    private bool CheckEntrySize(ElfRawSection raw, int expected, ElfDiagnosticBag d)
    {
        int word = Header.WordSize;
        if (raw.EntrySize != (ulong)expected)
        {
            d.Error(ElfDiagnosticCode.BadEntrySize, $"section header {raw.Index} sh_entsize",
                SectionHeaderFieldOffset(raw.Index, ElfSection.Layout.EntrySizeOffset(word)),
                $"entry size {raw.EntrySize} for {ElfNames.SectionType(raw.Type)} '{raw.Name}', expected {expected}");
            return false;
        }
        if (raw.Size % (ulong)expected != 0)
        {
            d.Error(ElfDiagnosticCode.BadEntrySize, $"section header {raw.Index} sh_size",
                SectionHeaderFieldOffset(raw.Index, ElfSection.Layout.SizeOffset(word)),
                $"size 0x{raw.Size:x} of '{raw.Name}' is not a multiple of its entry size {expected}");
            return false;
        }
        return true;
    }

    private ElfSymbolTable? ReadSymbolTable(ElfRawSection raw, ElfDiagnosticBag d)
    {
        int entrySize = ElfSymbol.Layout.Size(Header.Class);
        if (!CheckEntrySize(raw, entrySize, d))
            return null;
        var table = new ElfSymbolTable(raw.Name, raw.Type);
        table.CopyHeaderFrom(raw);
        ElfStringTable? strings = raw.Link < (uint)_sections.Count ? _sections[(int)raw.Link] as ElfStringTable : null;
        int count = raw.Data.Length / entrySize;
        int badNames = 0;
        for (int j = 0; j < count; j++)
        {
            ElfSymbol symbol = ElfSymbol.Read(raw.Data.AsSpan(j * entrySize, entrySize), Header.Class, Header.Encoding);
            if (strings is not null)
            {
                if (strings.TryGetString(symbol.NameIndex, out string name))
                    symbol.Name = name;
                else if (badNames++ < MaxDiagnosticsPerTable)
                    d.Error(ElfDiagnosticCode.BadStringIndex, $"symbol {j} of '{raw.Name}' st_name", raw.Offset + (ulong)(j * entrySize),
                        $"name index 0x{symbol.NameIndex:x} is outside string table '{strings.Name}' (0x{strings.Bytes.Length:x} bytes) or unterminated");
            }
            table.Symbols.Add(symbol);
        }
        if (badNames > MaxDiagnosticsPerTable)
            d.Error(ElfDiagnosticCode.BadStringIndex, $"symbols of '{raw.Name}' st_name", raw.Offset,
                $"{badNames - MaxDiagnosticsPerTable} more bad name indexes");
        return table;
    }

    private ElfRelocationTable? ReadRelocationTable(ElfRawSection raw, ElfDiagnosticBag d)
    {
        bool rela = raw.Type == ElfSectionType.Rela;
        int entrySize = ElfRelocationTable.EntryLayout.Size(Header.Class, rela);
        if (!CheckEntrySize(raw, entrySize, d))
            return null;
        var table = new ElfRelocationTable(raw.Name, rela);
        table.CopyHeaderFrom(raw);
        int count = raw.Data.Length / entrySize;
        for (int j = 0; j < count; j++)
            table.Entries.Add(ElfRelocationTable.Read(raw.Data.AsSpan(j * entrySize, entrySize), Header.Class, Header.Encoding, rela));
        return table;
    }

    private ElfNoteSection? ReadNoteSection(ElfRawSection raw, ElfDiagnosticBag d)
    {
        ulong padding = ElfNote.PaddingFor(raw.Alignment);
        if (!ElfNote.TryParse(raw.Data, padding, Header.Encoding, out List<ElfNote> notes, out string field, out ulong at))
        {
            d.Error(ElfDiagnosticCode.BadNote, $"note in '{raw.Name}' {field}", raw.Offset + at,
                $"note runs past the end of section {raw.Index} (0x{raw.Size:x} bytes)");
            return null;
        }
        var section = new ElfNoteSection(raw.Name);
        section.CopyHeaderFrom(raw);
        section.Notes.AddRange(notes);
        // Keep the typed view only if it re-encodes to the very same bytes (padding, name form).
        var encoded = new byte[section.GetContentSize(Header.Class)];
        section.WriteContent(encoded, Header.Class, Header.Encoding);
        if (!encoded.AsSpan().SequenceEqual(raw.Data))
        {
            d.Info(ElfDiagnosticCode.KeptAsRaw, $"section {raw.Index} '{raw.Name}'", raw.Offset,
                "notes do not re-encode to the same bytes (non-zero padding or unusual name); kept as raw bytes");
            return null;
        }
        return section;
    }

    private const int MaxDiagnosticsPerTable = 8;
}
