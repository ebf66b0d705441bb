using System.Globalization;
using System.Text.RegularExpressions;
using LibObjectFile.Diagnostics;
using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// Names the record a byte offset falls in (the ELF header, a program or section header, a
/// section's content), from the first-pass model, for failures LibObjectFile gives no place for:
/// an exception it threw while reading at that offset, or an error diagnostic about a section.
/// </summary>
internal static partial class ElfFailureLocation
{
    [GeneratedRegex(@"at offset (\d+)")]
    private static partial Regex OffsetInMessage();

    public static ElfFieldError Locate(ElfFile? file, ulong offset, string message)
    {
        string what = "LibObjectFile cannot read it: " + message;
        if (file is null || offset < ElfFieldOffsets.HeaderSize(file))
            return new ElfFieldError("ELF header", 0, what);
        ElfFileLayout layout = file.Layout;
        if (layout.SizeOfProgramHeaderEntry != 0 && offset >= layout.OffsetOfProgramHeaderTable
            && (offset - layout.OffsetOfProgramHeaderTable) / layout.SizeOfProgramHeaderEntry < layout.ProgramHeaderCount)
        {
            int index = (int)((offset - layout.OffsetOfProgramHeaderTable) / layout.SizeOfProgramHeaderEntry);
            return new ElfFieldError($"program header {index}", ElfFieldOffsets.ProgramHeader(file, index), what);
        }
        if (layout.SizeOfSectionHeaderEntry != 0 && offset >= layout.OffsetOfSectionHeaderTable
            && (offset - layout.OffsetOfSectionHeaderTable) / layout.SizeOfSectionHeaderEntry < (ulong)file.Sections.Count + 1)
        {
            int index = (int)((offset - layout.OffsetOfSectionHeaderTable) / layout.SizeOfSectionHeaderEntry);
            return new ElfFieldError($"section header {index}", ElfFieldOffsets.SectionHeader(file, index), what);
        }
        foreach (ElfSection s in file.Sections)
            if (s is UnreadSection { HasFileContent: true } u && offset >= s.Position && offset - s.Position < s.Size)
                return new ElfFieldError($"section {s.SectionIndex} ({Name(s)}, {u.ReadType}) content", offset, what);
        return new ElfFieldError("byte", offset, what);
    }

    /// <summary>
    /// An error LibObjectFile reported: at the field its id is about where that is one field, at
    /// the section header it names as context, else at the ELF header.
    /// </summary>
    public static ElfFieldError FromDiagnostic(ElfFile headers, DiagnosticMessage m)
    {
        string what = $"LibObjectFile: {m.Message} ({m.Id})";
        return m.Id switch
        {
            DiagnosticId.ELF_ERR_InvalidProgramHeaderSize =>
                new ElfFieldError("e_phentsize", ElfFieldOffsets.Header(headers, "e_phentsize"), what),
            DiagnosticId.ELF_ERR_InvalidFirstSectionExpectingUndefined =>
                new ElfFieldError("section header 0 sh_type", ElfFieldOffsets.SectionHeader(headers, 0, "sh_type"), what),
            // A read that ran out of bytes: LibObjectFile puts the offset only in its message text.
            DiagnosticId.CMN_ERR_UnexpectedEndOfFile when OffsetInMessage().Match(m.Message) is { Success: true } at
                && ulong.TryParse(at.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong offset) =>
                Locate(headers, offset, m.Message) with { Message = what },
            // LibObjectFile says which value but not which section; the table is the place.
            DiagnosticId.ELF_ERR_InvalidSectionEntrySize =>
                new ElfFieldError("section header table, an sh_entsize", headers.Layout.OffsetOfSectionHeaderTable, what),
            _ when m.Context is ElfSection { SectionIndex: >= 0 } s =>
                new ElfFieldError($"section header {s.SectionIndex}", ElfFieldOffsets.SectionHeader(headers, s.SectionIndex), what),
            _ => new ElfFieldError("ELF header", 0, what),
        };
    }

    public static string Name(ElfSection s) => s.Name.Value is { Length: > 0 } n ? $"'{n}'" : $"sh_name {s.Name.Index}";
}
