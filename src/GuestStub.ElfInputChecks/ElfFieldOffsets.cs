using System;
using System.Runtime.InteropServices;
using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// Where a field of the ELF header, a program header, a section header or a symbol lies in the
/// file. The layouts are LibObjectFile's own (<see cref="ElfNative"/>'s Elf32_*/Elf64_* structs),
/// the table positions are what LibObjectFile read into <see cref="ElfFile.Layout"/>: nothing
/// here knows an ELF layout of its own.
/// </summary>
public static class ElfFieldOffsets
{
    public static bool Is64(ElfFile file) => file.FileClass == ElfFileClass.Is64;

    /// <summary>Offset of an ELF header field (e.g. "e_shoff") in the file.</summary>
    public static ulong Header(ElfFile file, string field) =>
        Is64(file) ? Of<ElfNative.Elf64_Ehdr>(field) : Of<ElfNative.Elf32_Ehdr>(field);

    /// <summary>Offset of program header <paramref name="index"/>, or of its field (e.g. "p_offset").</summary>
    public static ulong ProgramHeader(ElfFile file, int index, string? field = null) =>
        file.Layout.OffsetOfProgramHeaderTable + (ulong)index * file.Layout.SizeOfProgramHeaderEntry
        + (field is null ? 0 : Is64(file) ? Of<ElfNative.Elf64_Phdr>(field) : Of<ElfNative.Elf32_Phdr>(field));

    /// <summary>Offset of section header <paramref name="index"/>, or of its field (e.g. "sh_size").</summary>
    public static ulong SectionHeader(ElfFile file, int index, string? field = null) =>
        file.Layout.OffsetOfSectionHeaderTable + (ulong)index * file.Layout.SizeOfSectionHeaderEntry
        + (field is null ? 0 : Is64(file) ? Of<ElfNative.Elf64_Shdr>(field) : Of<ElfNative.Elf32_Shdr>(field));

    /// <summary>Offset of a field of entry <paramref name="index"/> of a symbol table starting at <paramref name="tableOffset"/>.</summary>
    public static ulong Symbol(ElfFile file, ulong tableOffset, int index, string field) =>
        tableOffset + (ulong)index * SymbolSize(file) + (Is64(file) ? Of<ElfNative.Elf64_Sym>(field) : Of<ElfNative.Elf32_Sym>(field));

    /// <summary>Offset of r_info of entry <paramref name="index"/> of a REL or RELA table.</summary>
    public static ulong RelocationInfo(ElfFile file, ulong tableOffset, int index, bool addends) =>
        tableOffset + (ulong)index * RelocationSize(file, addends)
        + (Is64(file) ? Of<ElfNative.Elf64_Rel>("r_info") : Of<ElfNative.Elf32_Rel>("r_info"));

    public static unsafe ulong HeaderSize(ElfFile file) =>
        (ulong)(Is64(file) ? sizeof(ElfNative.Elf64_Ehdr) : sizeof(ElfNative.Elf32_Ehdr));

    public static unsafe ulong ProgramHeaderSize(ElfFile file) =>
        (ulong)(Is64(file) ? sizeof(ElfNative.Elf64_Phdr) : sizeof(ElfNative.Elf32_Phdr));

    public static unsafe ulong SectionHeaderSize(ElfFile file) =>
        (ulong)(Is64(file) ? sizeof(ElfNative.Elf64_Shdr) : sizeof(ElfNative.Elf32_Shdr));

    public static unsafe ulong SymbolSize(ElfFile file) =>
        (ulong)(Is64(file) ? sizeof(ElfNative.Elf64_Sym) : sizeof(ElfNative.Elf32_Sym));

    public static unsafe ulong RelocationSize(ElfFile file, bool addends) => Is64(file)
        ? (ulong)(addends ? sizeof(ElfNative.Elf64_Rela) : sizeof(ElfNative.Elf64_Rel))
        : (ulong)(addends ? sizeof(ElfNative.Elf32_Rela) : sizeof(ElfNative.Elf32_Rel));

    private static ulong Of<T>(string field) where T : struct => (ulong)Marshal.OffsetOf<T>(field).ToInt64();
}
