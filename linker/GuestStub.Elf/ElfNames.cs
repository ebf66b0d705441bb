using System.Text;

namespace GuestStub.Elf;

/// <summary>readelf-style names for display; unknown values print as hex rather than failing.</summary>
public static class ElfNames
{
    public static string FileType(ElfFileType t) => t switch
    {
        ElfFileType.None => "NONE (No file type)",
        ElfFileType.Relocatable => "REL (Relocatable file)",
        ElfFileType.Executable => "EXEC (Executable file)",
        ElfFileType.SharedObject => "DYN (Shared object file)",
        ElfFileType.Core => "CORE (Core file)",
        _ => $"<unknown>: 0x{(ushort)t:x}",
    };

    public static string Machine(ElfMachine m) => m switch
    {
        ElfMachine.None => "None",
        ElfMachine.Sparc => "Sparc",
        ElfMachine.I386 => "Intel 80386",
        ElfMachine.Mips => "MIPS R3000",
        ElfMachine.PowerPC => "PowerPC",
        ElfMachine.PowerPC64 => "PowerPC64",
        ElfMachine.S390 => "IBM S/390",
        ElfMachine.Arm => "ARM",
        ElfMachine.SparcV9 => "Sparc v9",
        ElfMachine.X86_64 => "Advanced Micro Devices X86-64",
        ElfMachine.AArch64 => "AArch64",
        ElfMachine.RiscV => "RISC-V",
        _ => $"<unknown>: 0x{(ushort)m:x}",
    };

    public static string SectionType(ElfSectionType t) => t switch
    {
        ElfSectionType.Null => "NULL",
        ElfSectionType.ProgBits => "PROGBITS",
        ElfSectionType.SymbolTable => "SYMTAB",
        ElfSectionType.StringTable => "STRTAB",
        ElfSectionType.Rela => "RELA",
        ElfSectionType.Hash => "HASH",
        ElfSectionType.Dynamic => "DYNAMIC",
        ElfSectionType.Note => "NOTE",
        ElfSectionType.NoBits => "NOBITS",
        ElfSectionType.Rel => "REL",
        ElfSectionType.ShLib => "SHLIB",
        ElfSectionType.DynamicSymbolTable => "DYNSYM",
        ElfSectionType.InitArray => "INIT_ARRAY",
        ElfSectionType.FiniArray => "FINI_ARRAY",
        ElfSectionType.PreInitArray => "PREINIT_ARRAY",
        ElfSectionType.Group => "GROUP",
        ElfSectionType.SymbolTableSectionIndex => "SYMTAB_SHNDX",
        ElfSectionType.LlvmAddrsig => "LLVM_ADDRSIG",
        ElfSectionType.GnuAttributes => "GNU_ATTRIBUTES",
        ElfSectionType.GnuHash => "GNU_HASH",
        ElfSectionType.GnuVersionDefinition => "VERDEF",
        ElfSectionType.GnuVersionNeeds => "VERNEED",
        ElfSectionType.GnuVersionSymbols => "VERSYM",
        ElfSectionType.ArmExceptionIndex => "ARM_EXIDX",
        ElfSectionType.ArmAttributes => "ARM_ATTRIBUTES",
        _ => $"0x{(uint)t:x}",
    };

    public static string SegmentType(ElfSegmentType t) => t switch
    {
        ElfSegmentType.Null => "NULL",
        ElfSegmentType.Load => "LOAD",
        ElfSegmentType.Dynamic => "DYNAMIC",
        ElfSegmentType.Interpreter => "INTERP",
        ElfSegmentType.Note => "NOTE",
        ElfSegmentType.ShLib => "SHLIB",
        ElfSegmentType.ProgramHeader => "PHDR",
        ElfSegmentType.Tls => "TLS",
        ElfSegmentType.GnuEhFrame => "GNU_EH_FRAME",
        ElfSegmentType.GnuStack => "GNU_STACK",
        ElfSegmentType.GnuRelro => "GNU_RELRO",
        ElfSegmentType.GnuProperty => "GNU_PROPERTY",
        _ => $"0x{(uint)t:x}",
    };

    /// <summary>readelf's key: W write, A alloc, X execute, M merge, S strings, I info, L link order, G group, T TLS, C compressed, E exclude.</summary>
    public static string SectionFlags(ElfSectionFlags f)
    {
        var sb = new StringBuilder();
        if ((f & ElfSectionFlags.Write) != 0) sb.Append('W');
        if ((f & ElfSectionFlags.Alloc) != 0) sb.Append('A');
        if ((f & ElfSectionFlags.ExecInstr) != 0) sb.Append('X');
        if ((f & ElfSectionFlags.Merge) != 0) sb.Append('M');
        if ((f & ElfSectionFlags.Strings) != 0) sb.Append('S');
        if ((f & ElfSectionFlags.InfoLink) != 0) sb.Append('I');
        if ((f & ElfSectionFlags.LinkOrder) != 0) sb.Append('L');
        if ((f & ElfSectionFlags.Group) != 0) sb.Append('G');
        if ((f & ElfSectionFlags.Tls) != 0) sb.Append('T');
        if ((f & ElfSectionFlags.Compressed) != 0) sb.Append('C');
        if ((f & ElfSectionFlags.Exclude) != 0) sb.Append('E');
        return sb.ToString();
    }

    public static string SegmentFlags(ElfSegmentFlags f) =>
        $"{((f & ElfSegmentFlags.Read) != 0 ? 'R' : ' ')}{((f & ElfSegmentFlags.Write) != 0 ? 'W' : ' ')}{((f & ElfSegmentFlags.Execute) != 0 ? 'E' : ' ')}";

    public static string SymbolType(ElfSymbolType t) => t switch
    {
        ElfSymbolType.NoType => "NOTYPE",
        ElfSymbolType.Object => "OBJECT",
        ElfSymbolType.Function => "FUNC",
        ElfSymbolType.Section => "SECTION",
        ElfSymbolType.File => "FILE",
        ElfSymbolType.Common => "COMMON",
        ElfSymbolType.Tls => "TLS",
        ElfSymbolType.GnuIndirectFunction => "IFUNC",
        _ => $"<{(byte)t}>",
    };

    public static string SymbolBinding(ElfSymbolBinding b) => b switch
    {
        ElfSymbolBinding.Local => "LOCAL",
        ElfSymbolBinding.Global => "GLOBAL",
        ElfSymbolBinding.Weak => "WEAK",
        ElfSymbolBinding.GnuUnique => "UNIQUE",
        _ => $"<{(byte)b}>",
    };

    public static string SymbolVisibility(ElfSymbolVisibility v) => v switch
    {
        ElfSymbolVisibility.Default => "DEFAULT",
        ElfSymbolVisibility.Internal => "INTERNAL",
        ElfSymbolVisibility.Hidden => "HIDDEN",
        _ => "PROTECTED",
    };

    public static string SymbolSection(ushort index) => index switch
    {
        ElfSectionIndex.Undefined => "UND",
        ElfSectionIndex.Absolute => "ABS",
        ElfSectionIndex.Common => "COM",
        ElfSectionIndex.ExtendedIndex => "XIDX",
        _ => index.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string NoteType(string owner, uint type) => (owner, type) switch
    {
        ("GNU", ElfNoteType.GnuAbiTag) => "NT_GNU_ABI_TAG (ABI version tag)",
        ("GNU", ElfNoteType.GnuHwcap) => "NT_GNU_HWCAP (DSO-supplied software HWCAP info)",
        ("GNU", ElfNoteType.GnuBuildId) => "NT_GNU_BUILD_ID (unique build ID bitstring)",
        ("GNU", ElfNoteType.GnuGoldVersion) => "NT_GNU_GOLD_VERSION (gold version)",
        ("GNU", ElfNoteType.GnuPropertyType0) => "NT_GNU_PROPERTY_TYPE_0 (property note)",
        _ => $"Unknown note type: (0x{type:x8})",
    };
}
