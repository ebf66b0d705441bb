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

    /// <summary>Section types as llvm-readelf-14's GNU style names them (ELFDumper
    /// getSectionTypeString): the processor range (0x70000000 up) means something different on
    /// each machine; a type without a name is shown by its range, or as unknown.</summary>
    public static string SectionType(ElfSectionType t, ElfArchEx machine) => ((uint)t, (ushort)machine.Value) switch
    {
        (0, _) => "NULL", (1, _) => "PROGBITS", (2, _) => "SYMTAB", (3, _) => "STRTAB", (4, _) => "RELA", (5, _) => "HASH",
        (6, _) => "DYNAMIC", (7, _) => "NOTE", (8, _) => "NOBITS", (9, _) => "REL", (10, _) => "SHLIB", (11, _) => "DYNSYM",
        (14, _) => "INIT_ARRAY", (15, _) => "FINI_ARRAY", (16, _) => "PREINIT_ARRAY", (17, _) => "GROUP",
        (18, _) => "SYMTAB SECTION INDICES", (19, _) => "RELR",
        (0x60000001, _) => "ANDROID_REL", (0x60000002, _) => "ANDROID_RELA", (0x6fffff00, _) => "ANDROID_RELR",
        (0x6fff4c00, _) => "LLVM_ODRTAB", (0x6fff4c01, _) => "LLVM_LINKER_OPTIONS", (0x6fff4c02, _) => "LLVM_CALL_GRAPH_PROFILE",
        (0x6fff4c03, _) => "LLVM_ADDRSIG", (0x6fff4c04, _) => "LLVM_DEPENDENT_LIBRARIES", (0x6fff4c05, _) => "LLVM_SYMPART",
        (0x6fff4c06, _) => "LLVM_PART_EHDR", (0x6fff4c07, _) => "LLVM_PART_PHDR", (0x6fff4c08, _) => "LLVM_BB_ADDR_MAP",
        (0x6ffffff5, _) => "GNU_ATTRIBUTES", (0x6ffffff6, _) => "GNU_HASH",
        (0x6ffffffd, _) => "VERDEF", (0x6ffffffe, _) => "VERNEED", (0x6fffffff, _) => "VERSYM",
        (0x70000001, EmArm) => "ARM_EXIDX", (0x70000002, EmArm) => "ARM_PREEMPTMAP", (0x70000003, EmArm) => "ARM_ATTRIBUTES",
        (0x70000004, EmArm) => "ARM_DEBUGOVERLAY", (0x70000005, EmArm) => "ARM_OVERLAYSECTION",
        (0x70000001, EmX86_64) => "X86_64_UNWIND",
        (0x70000003, EmRiscV) => "RISCV_ATTRIBUTES",
        (0x70000006, EmMips) => "MIPS_REGINFO", (0x7000000d, EmMips) => "MIPS_OPTIONS", (0x7000001e, EmMips) => "MIPS_DWARF",
        (0x7000002a, EmMips) => "MIPS_ABIFLAGS",
        (var v and >= 0x60000000 and <= 0x6fffffff, _) => $"LOOS+0x{v - 0x60000000:x}",
        (var v and >= 0x70000000 and <= 0x7fffffff, _) => $"LOPROC+0x{v - 0x70000000:x}",
        (var v and >= 0x80000000 and <= 0xffffffff, _) => $"LOUSER+0x{v - 0x80000000:x}",
        (var v, _) => $"0x{v:x}: <unknown>",
    };

    /// <summary>Segment types as llvm-readelf-14's GNU style names them (getGNUPtType: ARM's and
    /// MIPS's own types lose their prefix; a type it has no name for is "&lt;unknown&gt;: 0x..").</summary>
    public static string SegmentType(ElfSegmentType t, ElfArchEx machine) => (t.Value, (ushort)machine.Value) switch
    {
        (0, _) => "NULL", (1, _) => "LOAD", (2, _) => "DYNAMIC", (3, _) => "INTERP", (4, _) => "NOTE", (5, _) => "SHLIB",
        (6, _) => "PHDR", (7, _) => "TLS",
        (0x6464e550, _) => "SUNW_UNWIND",
        (0x6474e550, _) => "GNU_EH_FRAME", (0x6474e551, _) => "GNU_STACK", (0x6474e552, _) => "GNU_RELRO",
        (0x6474e553, _) => "GNU_PROPERTY",
        (0x65a3dbe6, _) => "OPENBSD_RANDOMIZE", (0x65a3dbe7, _) => "OPENBSD_WXNEEDED", (0x65a41be6, _) => "OPENBSD_BOOTDATA",
        (0x70000001, EmArm) => "EXIDX",
        (0x70000000, EmMips) => "REGINFO", (0x70000001, EmMips) => "RTPROC", (0x70000002, EmMips) => "OPTIONS",
        (0x70000003, EmMips) => "ABIFLAGS",
        (var v, _) => $"<unknown>: 0x{v:x}",
    };

    /// <summary>readelf's key, as llvm-readelf-14 builds it (ELFDumper getGNUFlags): the known
    /// flags from the lowest bit up (W write, A alloc, X execute, M merge, S strings, I info,
    /// L link order, O OS nonconforming, G group, T TLS, C compressed, R GNU retain, E exclude;
    /// y ARM pure code, l x86-64 large), then o for any other OS-specific bit, p for any other
    /// processor-specific one (which hides E: both lie in SHF_MASKPROC), x for an unknown one.</summary>
    public static string SectionFlags(ElfSectionFlags f, ElfArchEx machine)
    {
        const ulong MaskOs = 0x0ff00000, MaskProc = 0xf0000000;
        ulong flags = (ulong)f;
        ushort arch = (ushort)machine.Value;
        var sb = new StringBuilder();
        bool os = false, proc = false, unknown = false;
        while (flags != 0)
        {
            ulong flag = flags & (~flags + 1);
            flags -= flag;
            char key = (flag, arch) switch
            {
                (0x1, _) => 'W', (0x2, _) => 'A', (0x4, _) => 'X', (0x10, _) => 'M', (0x20, _) => 'S', (0x40, _) => 'I',
                (0x80, _) => 'L', (0x100, _) => 'O', (0x200, _) => 'G', (0x400, _) => 'T', (0x800, _) => 'C',
                (0x200000, _) => 'R', (0x80000000, _) => 'E', (0x20000000, EmArm) => 'y', (0x10000000, EmX86_64) => 'l',
                _ => '\0',
            };
            if (key != '\0')
                sb.Append(key);
            else if ((flag & MaskOs) != 0)
            {
                os = true;
                flags &= ~MaskOs;
            }
            else if ((flag & MaskProc) != 0)
            {
                proc = true;
                flags &= ~MaskProc;
            }
            else
                unknown = true;
        }
        if (os)
            sb.Append('o');
        if (proc)
            sb.Append('p');
        if (unknown)
            sb.Append('x');
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
