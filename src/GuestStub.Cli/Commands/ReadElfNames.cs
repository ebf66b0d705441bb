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

    private const ushort EmMips = 8, EmArm = 40, EmX86_64 = 62, EmRiscV = 243;

    /// <summary>Section types as llvm-readelf names them; the processor range (0x70000000 up)
    /// means something different on each machine.</summary>
    public static string SectionType(ElfSectionType t, ElfArchEx machine) => ((uint)t, (ushort)machine.Value) switch
    {
        (0, _) => "NULL", (1, _) => "PROGBITS", (2, _) => "SYMTAB", (3, _) => "STRTAB", (4, _) => "RELA", (5, _) => "HASH",
        (6, _) => "DYNAMIC", (7, _) => "NOTE", (8, _) => "NOBITS", (9, _) => "REL", (10, _) => "SHLIB", (11, _) => "DYNSYM",
        (14, _) => "INIT_ARRAY", (15, _) => "FINI_ARRAY", (16, _) => "PREINIT_ARRAY", (17, _) => "GROUP",
        (18, _) => "SYMTAB_SHNDX", (19, _) => "RELR",
        (0x6fff4c03, _) => "LLVM_ADDRSIG", (0x6ffffff5, _) => "GNU_ATTRIBUTES", (0x6ffffff6, _) => "GNU_HASH",
        (0x6ffffffd, _) => "VERDEF", (0x6ffffffe, _) => "VERNEED", (0x6fffffff, _) => "VERSYM",
        (0x70000001, EmArm) => "ARM_EXIDX", (0x70000002, EmArm) => "ARM_PREEMPTMAP", (0x70000003, EmArm) => "ARM_ATTRIBUTES",
        (0x70000001, EmX86_64) => "X86_64_UNWIND",
        (0x70000003, EmRiscV) => "RISCV_ATTRIBUTES",
        (0x70000006, EmMips) => "MIPS_REGINFO", (0x7000000d, EmMips) => "MIPS_OPTIONS", (0x7000001e, EmMips) => "MIPS_DWARF",
        (0x7000002a, EmMips) => "MIPS_ABIFLAGS",
        (var v, _) => $"0x{v:x}",
    };

    /// <summary>Segment types as llvm-readelf's GNU style names them (ARM's exception index is
    /// "EXIDX", MIPS's own types lose their prefix); the processor range depends on the machine.</summary>
    public static string SegmentType(ElfSegmentType t, ElfArchEx machine) => (t.Value, (ushort)machine.Value) switch
    {
        (0, _) => "NULL", (1, _) => "LOAD", (2, _) => "DYNAMIC", (3, _) => "INTERP", (4, _) => "NOTE", (5, _) => "SHLIB",
        (6, _) => "PHDR", (7, _) => "TLS",
        (0x6474e550, _) => "GNU_EH_FRAME", (0x6474e551, _) => "GNU_STACK", (0x6474e552, _) => "GNU_RELRO",
        (0x6474e553, _) => "GNU_PROPERTY",
        (0x70000001, EmArm) => "EXIDX",
        (0x70000000, EmMips) => "REGINFO", (0x70000001, EmMips) => "RTPROC", (0x70000002, EmMips) => "OPTIONS",
        (0x70000003, EmMips) => "ABIFLAGS",
        (0x70000003, EmRiscV) => "RISCV_ATTRIBUTES",
        (var v, _) => $"0x{v:x}",
    };

    /// <summary>readelf's key: W write, A alloc, X execute, M merge, S strings, I info, L link order, G group, T TLS, C compressed, E exclude;
    /// then, as llvm-readelf does, o for OS-specific and p for processor-specific bits.</summary>
    public static string SectionFlags(ElfSectionFlags f)
    {
        ulong v = (ulong)f;
        var sb = new StringBuilder();
        (ulong Bit, char Key)[] keys = { (0x1, 'W'), (0x2, 'A'), (0x4, 'X'), (0x10, 'M'), (0x20, 'S'), (0x40, 'I'), (0x80, 'L'), (0x200, 'G'), (0x400, 'T'), (0x800, 'C'), (0x80000000, 'E') };
        foreach ((ulong bit, char key) in keys)
            if ((v & bit) != 0)
                sb.Append(key);
        const ulong MaskOs = 0x0ff00000, MaskProc = 0xf0000000;
        if ((v & MaskOs) != 0)
            sb.Append('o');
        if ((v & MaskProc & ~0x80000000UL) != 0)
            sb.Append('p');
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
