using System.Globalization;
using System.Text;
using LibObjectFile.Elf;

namespace GuestStub.Cli.Commands;

/// <summary>
/// The names readelf prints for ELF values, for <c>gueststub elf</c>; a value without a name prints
/// as hex rather than failing. (LibObjectFile's ElfPrinter has no name for AArch64.)
/// </summary>
internal static class ReadElfNames
{
    public static string FileType(ElfFileType t) => (ushort)t switch
    {
        0 => "NONE (No file type)",
        1 => "REL (Relocatable file)",
        2 => "EXEC (Executable file)",
        3 => "DYN (Shared object file)",
        4 => "CORE (Core file)",
        var v => $"<unknown>: 0x{v:x}",
    };

    public static string Machine(ElfArchEx m) => (ushort)m.Value switch
    {
        0 => "None",
        2 => "Sparc",
        3 => "Intel 80386",
        8 => "MIPS R3000",
        20 => "PowerPC",
        21 => "PowerPC64",
        22 => "IBM S/390",
        40 => "ARM",
        43 => "Sparc v9",
        62 => "Advanced Micro Devices X86-64",
        183 => "AArch64",
        243 => "RISC-V",
        var v => $"<unknown>: 0x{v:x}",
    };

    public static string SectionType(ElfSectionType t) => (uint)t switch
    {
        0 => "NULL", 1 => "PROGBITS", 2 => "SYMTAB", 3 => "STRTAB", 4 => "RELA", 5 => "HASH", 6 => "DYNAMIC",
        7 => "NOTE", 8 => "NOBITS", 9 => "REL", 10 => "SHLIB", 11 => "DYNSYM", 14 => "INIT_ARRAY",
        15 => "FINI_ARRAY", 16 => "PREINIT_ARRAY", 17 => "GROUP", 18 => "SYMTAB_SHNDX", 19 => "RELR",
        0x6fff4c03 => "LLVM_ADDRSIG", 0x6ffffff5 => "GNU_ATTRIBUTES", 0x6ffffff6 => "GNU_HASH",
        0x6ffffffd => "VERDEF", 0x6ffffffe => "VERNEED", 0x6fffffff => "VERSYM",
        0x70000001 => "ARM_EXIDX", 0x70000003 => "ARM_ATTRIBUTES", 0x70000006 => "MIPS_REGINFO",
        0x7000002a => "MIPS_ABIFLAGS",
        var v => $"0x{v:x}",
    };

    public static string SegmentType(ElfSegmentType t) => t.Value switch
    {
        0 => "NULL", 1 => "LOAD", 2 => "DYNAMIC", 3 => "INTERP", 4 => "NOTE", 5 => "SHLIB", 6 => "PHDR", 7 => "TLS",
        0x6474e550 => "GNU_EH_FRAME", 0x6474e551 => "GNU_STACK", 0x6474e552 => "GNU_RELRO", 0x6474e553 => "GNU_PROPERTY",
        0x70000000 => "MIPS_REGINFO", 0x70000003 => "MIPS_ABIFLAGS", 0x70000001 => "ARM_EXIDX",
        var v => $"0x{v:x}",
    };

    /// <summary>readelf's key: W write, A alloc, X execute, M merge, S strings, I info, L link order, G group, T TLS, C compressed, E exclude.</summary>
    public static string SectionFlags(ElfSectionFlags f)
    {
        ulong v = (ulong)f;
        var sb = new StringBuilder();
        (ulong Bit, char Key)[] keys = { (0x1, 'W'), (0x2, 'A'), (0x4, 'X'), (0x10, 'M'), (0x20, 'S'), (0x40, 'I'), (0x80, 'L'), (0x200, 'G'), (0x400, 'T'), (0x800, 'C'), (0x80000000, 'E') };
        foreach ((ulong bit, char key) in keys)
            if ((v & bit) != 0)
                sb.Append(key);
        return sb.ToString();
    }

    public static string SegmentFlags(ElfSegmentFlags f) =>
        $"{((f.Value & 4) != 0 ? 'R' : ' ')}{((f.Value & 2) != 0 ? 'W' : ' ')}{((f.Value & 1) != 0 ? 'E' : ' ')}";

    public static string SymbolType(ElfSymbolType t) => (byte)t switch
    {
        0 => "NOTYPE", 1 => "OBJECT", 2 => "FUNC", 3 => "SECTION", 4 => "FILE", 5 => "COMMON", 6 => "TLS", 10 => "IFUNC",
        var v => $"<{v}>",
    };

    public static string SymbolBinding(ElfSymbolBind b) => (byte)b switch
    {
        0 => "LOCAL", 1 => "GLOBAL", 2 => "WEAK", 10 => "UNIQUE",
        var v => $"<{v}>",
    };

    public static string SymbolVisibility(ElfSymbolVisibility v) => (byte)v switch
    {
        0 => "DEFAULT", 1 => "INTERNAL", 2 => "HIDDEN", _ => "PROTECTED",
    };

    /// <summary>st_shndx as readelf shows it: UND, ABS, COM or the index.</summary>
    public static string SymbolSection(ElfSectionLink link)
    {
        int index = link.Section?.SectionIndex ?? link.SpecialIndex;
        return index switch
        {
            0 => "UND",
            0xfff1 => "ABS",
            0xfff2 => "COM",
            0xffff => "XIDX",
            _ => index.ToString(CultureInfo.InvariantCulture),
        };
    }

    public static string NoteType(string owner, uint type) => (owner, type) switch
    {
        ("GNU", 1) => "NT_GNU_ABI_TAG (ABI version tag)",
        ("GNU", 2) => "NT_GNU_HWCAP (DSO-supplied software HWCAP info)",
        ("GNU", 3) => "NT_GNU_BUILD_ID (unique build ID bitstring)",
        ("GNU", 4) => "NT_GNU_GOLD_VERSION (gold version)",
        ("GNU", 5) => "NT_GNU_PROPERTY_TYPE_0 (property note)",
        _ => $"Unknown note type: (0x{type:x8})",
    };
}
