using System;
using System.Collections.Generic;

namespace GuestStub.Elf;

/// <summary>
/// An ELF file as an object model: header, segments (program headers), sections (section headers and
/// content) and the bytes between them. <see cref="Read"/> never throws on bad input; it reports
/// <see cref="ElfDiagnostic"/>s. An unmodified file writes back byte for byte, because the original
/// image is kept as the background that gaps and padding are copied from.
/// </summary>
public sealed partial class ElfFile
{
    private readonly List<ElfSection> _sections = new();

    /// <summary>The file as read (empty for a new file): gaps, padding and unmodelled bytes come from here on write.</summary>
    private byte[] _image = Array.Empty<byte>();

    /// <summary>Section header table placement when read, to know whether a write must move it.</summary>
    private ulong _readSectionTableOffset;
    private int _readSectionCount;
    private int _readSegmentCount;

    private ElfFile(ElfHeader header) => Header = header;

    /// <summary>A new, empty file: the null section and a section name table, no segments.</summary>
    public static ElfFile Create(ElfClass elfClass, ElfEncoding encoding, ElfFileType type, ElfMachine machine)
    {
        var header = new ElfHeader
        {
            Class = elfClass,
            Encoding = encoding,
            Type = type,
            Machine = machine,
            HeaderSize = (ushort)ElfHeader.Layout.Size(elfClass),
        };
        var file = new ElfFile(header);
        file.AddSection(new ElfRawSection { Type = ElfSectionType.Null });
        file.SectionNameTable = file.AddSection(new ElfStringTable(".shstrtab"));
        return file;
    }

    public ElfHeader Header { get; }

    /// <summary>Program headers in table order.</summary>
    public List<ElfSegment> Segments { get; } = new();

    /// <summary>Sections in table order; index 0 is the null section.</summary>
    public IReadOnlyList<ElfSection> Sections => _sections;

    /// <summary>The section named by e_shstrndx, or null when there is none.</summary>
    public ElfStringTable? SectionNameTable { get; set; }

    /// <summary>What <see cref="Read"/> found (empty for a file built in memory).</summary>
    public IReadOnlyList<ElfDiagnostic> ReadDiagnostics { get; private set; } = Array.Empty<ElfDiagnostic>();

    public bool Is64Bit => Header.Class == ElfClass.Elf64;

    public bool IsBigEndian => Header.Encoding == ElfEncoding.BigEndian;

    /// <summary>The PT_LOAD segments, in table order (which the System V ABI requires to be by address).</summary>
    public IEnumerable<ElfSegment> LoadSegments
    {
        get
        {
            foreach (ElfSegment s in Segments)
                if (s.IsLoad)
                    yield return s;
        }
    }

    /// <summary>The first section with this name, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (ElfSection s in _sections)
            if (s.Index != 0 && s.Name == name)
                return s;
        return null;
    }

    /// <summary>The static symbol table (SHT_SYMTAB), or null when stripped.</summary>
    public ElfSymbolTable? SymbolTable => FirstOfType(ElfSectionType.SymbolTable);

    /// <summary>The dynamic symbol table (SHT_DYNSYM), or null.</summary>
    public ElfSymbolTable? DynamicSymbolTable => FirstOfType(ElfSectionType.DynamicSymbolTable);

    private ElfSymbolTable? FirstOfType(ElfSectionType type)
    {
        foreach (ElfSection s in _sections)
            if (s.Type == type && s is ElfSymbolTable t)
                return t;
        return null;
    }

    /// <summary>A defined or undefined symbol by name, from .symtab then .dynsym; null when absent.</summary>
    public ElfSymbol? FindSymbol(string name) => SymbolTable?.Find(name) ?? DynamicSymbolTable?.Find(name);

    /// <summary>The section a symbol's st_shndx names, or null for undefined, absolute, common and bad indexes.</summary>
    public ElfSection? SectionOf(ElfSymbol symbol) =>
        symbol.SectionIndex != 0 && !ElfSectionIndex.IsReserved(symbol.SectionIndex) && symbol.SectionIndex < _sections.Count
            ? _sections[symbol.SectionIndex]
            : null;

    /// <summary>The bytes a segment covers in the file as it would be written now.</summary>
    public byte[] ReadSegmentBytes(ElfSegment segment) => ReadSegmentBytes(segment, Write());

    /// <summary>The bytes a segment covers in an image returned by <see cref="Write"/>; empty if out of range.</summary>
    public static byte[] ReadSegmentBytes(ElfSegment segment, byte[] image) =>
        ElfBounds.FitsWithin(segment.Offset, segment.FileSize, (ulong)image.Length)
            ? image.AsSpan((int)segment.Offset, (int)segment.FileSize).ToArray()
            : Array.Empty<byte>();

    /// <summary>
    /// Every note, from the SHT_NOTE sections or, in a file without them, from the PT_NOTE segments.
    /// Malformed note areas are skipped (Read and Verify report them).
    /// </summary>
    public IReadOnlyList<ElfNote> GetNotes()
    {
        var notes = new List<ElfNote>();
        bool anyNoteSection = false;
        foreach (ElfSection s in _sections)
        {
            if (s.Type != ElfSectionType.Note)
                continue;
            anyNoteSection = true;
            if (s is ElfNoteSection n)
                notes.AddRange(n.Notes);
            else if (s is ElfRawSection raw && ElfNote.TryParse(raw.Data, ElfNote.PaddingFor(s.Alignment), Header.Encoding, out var parsed, out _, out _))
                notes.AddRange(parsed);
        }
        if (anyNoteSection)
            return notes;
        foreach (ElfSegment seg in Segments)
        {
            if (seg.Type != ElfSegmentType.Note || !ElfBounds.FitsWithin(seg.Offset, seg.FileSize, (ulong)_image.Length))
                continue;
            if (ElfNote.TryParse(_image.AsSpan((int)seg.Offset, (int)seg.FileSize), ElfNote.PaddingFor(seg.Alignment), Header.Encoding, out var parsed, out _, out _))
                notes.AddRange(parsed);
        }
        return notes;
    }

    /// <summary>Byte offset of field <paramref name="fieldOffset"/> in section header <paramref name="index"/>.</summary>
    internal ulong? SectionHeaderFieldOffset(int index, int fieldOffset) =>
        Header.SectionHeaderOffset == 0 || index < 0 || index >= _readSectionCount
            ? null
            : Header.SectionHeaderOffset + (ulong)index * Header.SectionHeaderEntrySize + (ulong)fieldOffset;

    /// <summary>Byte offset of field <paramref name="fieldOffset"/> in program header <paramref name="index"/>.</summary>
    internal ulong? ProgramHeaderFieldOffset(int index, int fieldOffset) =>
        index < 0 || index >= _readSegmentCount
            ? null
            : Header.ProgramHeaderOffset + (ulong)index * Header.ProgramHeaderEntrySize + (ulong)fieldOffset;
}
