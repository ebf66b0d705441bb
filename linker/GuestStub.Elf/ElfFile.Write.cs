using System;
using System.Collections.Generic;

namespace GuestStub.Elf;

public sealed partial class ElfFile
{
    /// <summary>
    /// Writes the model to bytes. Sections keep their offsets; a section that is new or has outgrown
    /// the bytes it had is placed after the existing content, and the section header table then moves
    /// after it. Bytes no header describes (gaps, padding) are copied from the file as read, so an
    /// unmodified file comes back byte for byte. Throws <see cref="InvalidOperationException"/> when
    /// the model cannot be written (a value too wide for ELF32, a grown program header table).
    /// </summary>
    public byte[] Write()
    {
        ElfClass c = Header.Class;
        ElfEncoding e = Header.Encoding;
        foreach (ElfDiagnostic diagnostic in Verify())
            if (diagnostic.Code is ElfDiagnosticCode.ValueTooWide or ElfDiagnosticCode.UnsupportedClass or ElfDiagnosticCode.UnsupportedEncoding)
                throw new InvalidOperationException("cannot write: " + diagnostic);

        ResolveNames();

        ulong headerSize = (ulong)ElfHeader.Layout.Size(c);
        ulong segmentEntrySize = (ulong)ElfSegment.Layout.Size(c);
        ulong sectionEntrySize = (ulong)ElfSection.Layout.Size(c);
        ulong word = (ulong)Header.WordSize;

        // Program header table: stays where it is. A new table goes right after the ELF header in a
        // new file, and after the existing content in a file read without one (nothing there moves).
        if (Segments.Count > _readSegmentCount && _readSegmentCount != 0)
            throw new InvalidOperationException($"cannot write: the program header table grew from {_readSegmentCount} to {Segments.Count} entries");
        bool newProgramHeaderTable = Segments.Count > 0 && _readSegmentCount == 0;
        ulong programHeaderOffset = Header.ProgramHeaderOffset;
        ulong programHeaderTableSize = (ulong)Segments.Count * segmentEntrySize;

        ulong end = Math.Max((ulong)_image.Length, headerSize);
        if (newProgramHeaderTable && (ulong)_image.Length <= headerSize)
        {
            programHeaderOffset = AlignForWrite(headerSize, word, "the program header table");
            end = programHeaderOffset + programHeaderTableSize;
        }
        else if (Segments.Count > 0 && !newProgramHeaderTable)
            end = Math.Max(end, ElfBounds.EndOf(programHeaderOffset, programHeaderTableSize));
        foreach (ElfSegment s in Segments)
            if (s.FileSize != 0)
                end = Math.Max(end, ElfBounds.EndOf(s.Offset, s.FileSize));

        var toPlace = new List<ElfSection>();
        foreach (ElfSection s in _sections)
        {
            if (!s.HasFileContent)
                continue;
            ulong size = s.GetContentSize(c);
            if (!s.IsPlaced || size > s.SlotSize)
                toPlace.Add(s);
            else if (size != 0)
                end = Math.Max(end, ElfBounds.EndOf(s.Offset, size));
        }

        bool tableMoves = _sections.Count > 0 && (_sections.Count != _readSectionCount || toPlace.Count > 0);
        if (!tableMoves && _sections.Count > 0)
            end = Math.Max(end, ElfBounds.EndOf(Header.SectionHeaderOffset, (ulong)_sections.Count * sectionEntrySize));
        if (newProgramHeaderTable && (ulong)_image.Length > headerSize)
        {
            programHeaderOffset = AlignForWrite(end, word, "the program header table");
            end = ElfBounds.EndOf(programHeaderOffset, programHeaderTableSize);
        }
        foreach (ElfSection s in toPlace)
        {
            ulong size = s.GetContentSize(c);
            s.Offset = AlignForWrite(end, s.Alignment, $"section '{s.Name}'");
            s.IsPlaced = true;
            s.SlotSize = size;
            end = ElfBounds.EndOf(s.Offset, size);
        }
        ulong sectionHeaderOffset = Header.SectionHeaderOffset;
        if (tableMoves)
        {
            sectionHeaderOffset = AlignForWrite(end, word, "the section header table");
            end = ElfBounds.EndOf(sectionHeaderOffset, (ulong)_sections.Count * sectionEntrySize);
        }
        if (end > int.MaxValue)
            throw new InvalidOperationException($"cannot write: the file would be 0x{end:x} bytes");

        var image = new byte[end];
        _image.CopyTo(image, 0);
        if (tableMoves && _readSectionCount > 0)
        {
            // The old table is now a gap; clear it so no stale headers remain.
            ulong oldSize = (ulong)_readSectionCount * sectionEntrySize;
            if (ElfBounds.FitsWithin(_readSectionTableOffset, oldSize, (ulong)_image.Length))
                image.AsSpan((int)_readSectionTableOffset, (int)oldSize).Clear();
        }

        UpdateHeaderTables(programHeaderOffset, sectionHeaderOffset);
        Header.Write(image);
        for (int i = 0; i < Segments.Count; i++)
            Segments[i].Write(image.AsSpan((int)(programHeaderOffset + (ulong)i * segmentEntrySize), (int)segmentEntrySize), c, e);
        foreach (ElfSection s in _sections)
        {
            if (!s.HasFileContent)
                continue;
            ulong size = s.GetContentSize(c);
            s.Size = size;
            if (s is ElfSymbolTable)
                s.EntrySize = (ulong)ElfSymbol.Layout.Size(c);
            else if (s is ElfRelocationTable relocations)
                s.EntrySize = (ulong)ElfRelocationTable.EntryLayout.Size(c, relocations.HasAddends);
            if (size != 0)
                s.WriteContent(image.AsSpan((int)s.Offset, (int)size), c, e);
        }
        for (int i = 0; i < _sections.Count; i++)
            _sections[i].WriteHeader(image.AsSpan((int)(sectionHeaderOffset + (ulong)i * sectionEntrySize), (int)sectionEntrySize), c, e);

        // The written image is the new baseline: offsets in diagnostics and further writes refer to it.
        _image = image;
        _readSectionTableOffset = sectionHeaderOffset;
        _readSectionCount = _sections.Count;
        _readSegmentCount = Segments.Count;
        foreach (ElfSection s in _sections)
            if (s.HasFileContent)
                s.SlotSize = s.Size;
        return (byte[])image.Clone();
    }

    /// <summary>Where something placed at or after <paramref name="at"/> goes; past 2^64 the model cannot be written.</summary>
    private static ulong AlignForWrite(ulong at, ulong alignment, string what) =>
        ElfBounds.TryAlignUp(at, alignment, out ulong aligned)
            ? aligned
            : throw new InvalidOperationException($"cannot write: {what} aligned to 0x{alignment:x} after 0x{at:x} would lie past 2^64");

    private void ResolveNames()
    {
        foreach (ElfSection s in _sections)
            s.PrepareForWrite();
        if (SectionNameTable is not { } names)
            return;
        foreach (ElfSection s in _sections)
            if (!names.TryGetString(s.NameIndex, out string current) || current != s.Name)
                s.NameIndex = names.GetOrAdd(s.Name);
    }

    /// <summary>Sets e_phoff/e_phnum/e_shoff/e_shnum/e_shstrndx, keeping stored values that already decode right.</summary>
    private void UpdateHeaderTables(ulong programHeaderOffset, ulong sectionHeaderOffset)
    {
        ElfHeader h = Header;
        h.HeaderSize = h.HeaderSize == 0 ? (ushort)ElfHeader.Layout.Size(h.Class) : h.HeaderSize;
        if (Segments.Count > 0)
        {
            h.ProgramHeaderOffset = programHeaderOffset;
            h.ProgramHeaderEntrySize = (ushort)ElfSegment.Layout.Size(h.Class);
            bool extended = h.ProgramHeaderCount == ElfSectionIndex.ProgramHeaderExtendedCount && _sections.Count > 0;
            if (!(extended && _sections[0].Info == (uint)Segments.Count))
            {
                if (Segments.Count >= ElfSectionIndex.ProgramHeaderExtendedCount)
                    throw new InvalidOperationException("cannot write: too many program headers");
                h.ProgramHeaderCount = (ushort)Segments.Count;
            }
        }
        else if (h.ProgramHeaderCount != ElfSectionIndex.ProgramHeaderExtendedCount)
        {
            h.ProgramHeaderCount = 0;
        }

        if (_sections.Count == 0)
            return;
        h.SectionHeaderOffset = sectionHeaderOffset;
        h.SectionHeaderEntrySize = (ushort)ElfSection.Layout.Size(h.Class);
        ElfSection first = _sections[0];
        ulong storedCount = h.SectionHeaderCount != 0 ? h.SectionHeaderCount : first.Size;
        if (storedCount != (ulong)_sections.Count)
        {
            if (_sections.Count < ElfSectionIndex.LowReserve)
                h.SectionHeaderCount = (ushort)_sections.Count;
            else
            {
                h.SectionHeaderCount = 0;
                first.Size = (ulong)_sections.Count;
            }
        }
        uint namesIndex = SectionNameTable is { } t ? (uint)t.Index : 0;
        uint storedIndex = h.SectionNameTableIndex == ElfSectionIndex.ExtendedIndex ? first.Link : h.SectionNameTableIndex;
        if (storedIndex != namesIndex)
        {
            if (namesIndex < ElfSectionIndex.LowReserve)
                h.SectionNameTableIndex = (ushort)namesIndex;
            else
            {
                h.SectionNameTableIndex = ElfSectionIndex.ExtendedIndex;
                first.Link = namesIndex;
            }
        }
    }
}
