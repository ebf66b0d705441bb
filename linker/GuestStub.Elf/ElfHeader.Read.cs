using System;

namespace GuestStub.Elf;

public sealed partial class ElfHeader
{
    /// <summary>
    /// Reads the identification and the fixed header. Returns null (with an error) when the bytes
    /// are not an ELF file this library can read at all; every other oddity is a diagnostic.
    /// </summary>
    internal static ElfHeader? Read(ReadOnlySpan<byte> file, ElfDiagnosticBag diagnostics)
    {
        if (!ElfBounds.FitsWithin(0, Layout.IdentSize, (ulong)file.Length))
        {
            diagnostics.Error(ElfDiagnosticCode.Truncated, "e_ident", 0,
                $"file is {file.Length} bytes, shorter than the {Layout.IdentSize}-byte identification");
            return null;
        }
        if (!file.Slice(Layout.MagicOffset, Layout.Magic.Length).SequenceEqual(Layout.Magic))
        {
            diagnostics.Error(ElfDiagnosticCode.NotElf, "EI_MAG", Layout.MagicOffset, "bad magic; expected 7f 45 4c 46");
            return null;
        }
        var elfClass = (ElfClass)file[Layout.ClassOffset];
        if (elfClass is not (ElfClass.Elf32 or ElfClass.Elf64))
        {
            diagnostics.Error(ElfDiagnosticCode.UnsupportedClass, "EI_CLASS", Layout.ClassOffset,
                $"class {file[Layout.ClassOffset]} is neither 1 (ELF32) nor 2 (ELF64)");
            return null;
        }
        var encoding = (ElfEncoding)file[Layout.EncodingOffset];
        if (encoding is not (ElfEncoding.LittleEndian or ElfEncoding.BigEndian))
        {
            diagnostics.Error(ElfDiagnosticCode.UnsupportedEncoding, "EI_DATA", Layout.EncodingOffset,
                $"data encoding {file[Layout.EncodingOffset]} is neither 1 (little endian) nor 2 (big endian)");
            return null;
        }
        int word = elfClass == ElfClass.Elf64 ? 8 : 4;
        int size = Layout.Size(word);
        if (!ElfBounds.FitsWithin(0, (ulong)size, (ulong)file.Length))
        {
            diagnostics.Error(ElfDiagnosticCode.Truncated, "ELF header", 0,
                $"file is {file.Length} bytes, shorter than the {size}-byte ELF header");
            return null;
        }

        var r = new ElfDataReader(file.Slice(0, size), elfClass, encoding);
        var header = new ElfHeader
        {
            Class = elfClass,
            Encoding = encoding,
            IdentVersion = r.U8(Layout.IdentVersionOffset),
            OsAbi = r.U8(Layout.OsAbiOffset),
            AbiVersion = r.U8(Layout.AbiVersionOffset),
            IdentPadding = file.Slice(Layout.PaddingOffset, Layout.PaddingSize).ToArray(),
            Type = (ElfFileType)r.U16(Layout.TypeOffset),
            Machine = (ElfMachine)r.U16(Layout.MachineOffset),
            Version = r.U32(Layout.VersionOffset),
            Entry = r.Word(Layout.EntryOffset),
            ProgramHeaderOffset = r.Word(Layout.ProgramHeaderOffsetOffset(word)),
            SectionHeaderOffset = r.Word(Layout.SectionHeaderOffsetOffset(word)),
            Flags = r.U32(Layout.FlagsOffset(word)),
            HeaderSize = r.U16(Layout.HeaderSizeOffset(word)),
            ProgramHeaderEntrySize = r.U16(Layout.ProgramHeaderEntrySizeOffset(word)),
            ProgramHeaderCount = r.U16(Layout.ProgramHeaderCountOffset(word)),
            SectionHeaderEntrySize = r.U16(Layout.SectionHeaderEntrySizeOffset(word)),
            SectionHeaderCount = r.U16(Layout.SectionHeaderCountOffset(word)),
            SectionNameTableIndex = r.U16(Layout.SectionNameTableIndexOffset(word)),
        };

        if (header.IdentVersion != 1)
            diagnostics.Warning(ElfDiagnosticCode.UnsupportedVersion, "EI_VERSION", Layout.IdentVersionOffset,
                $"identification version {header.IdentVersion}, expected 1");
        if (header.Version != 1)
            diagnostics.Warning(ElfDiagnosticCode.UnsupportedVersion, "e_version", Layout.VersionOffset,
                $"version {header.Version}, expected 1");
        if (header.HeaderSize != size)
            diagnostics.Warning(ElfDiagnosticCode.BadHeaderSize, "e_ehsize", (ulong)Layout.HeaderSizeOffset(word),
                $"header size {header.HeaderSize}, expected {size}");
        return header;
    }
}
