namespace GuestStub.Elf;

/// <summary>
/// The ELF header (Elf32_Ehdr / Elf64_Ehdr). Fields hold the values as read, so an unmodified file
/// writes back unchanged; <see cref="ElfFile"/> recomputes the table counts and offsets on write.
/// </summary>
public sealed partial class ElfHeader
{
    public ElfClass Class { get; set; } = ElfClass.Elf64;
    public ElfEncoding Encoding { get; set; } = ElfEncoding.LittleEndian;
    /// <summary>EI_VERSION; 1 (EV_CURRENT).</summary>
    public byte IdentVersion { get; set; } = 1;
    public byte OsAbi { get; set; }
    public byte AbiVersion { get; set; }
    /// <summary>EI_PAD bytes (normally zero), kept for byte-exact round trips.</summary>
    public byte[] IdentPadding { get; set; } = new byte[Layout.PaddingSize];
    public ElfFileType Type { get; set; }
    public ElfMachine Machine { get; set; }
    /// <summary>e_version; 1 (EV_CURRENT).</summary>
    public uint Version { get; set; } = 1;
    public ulong Entry { get; set; }
    public ulong ProgramHeaderOffset { get; set; }
    public ulong SectionHeaderOffset { get; set; }
    public uint Flags { get; set; }
    public ushort HeaderSize { get; set; }
    public ushort ProgramHeaderEntrySize { get; set; }
    /// <summary>e_phnum as stored (0xffff means the count is in section 0's sh_info).</summary>
    public ushort ProgramHeaderCount { get; set; }
    public ushort SectionHeaderEntrySize { get; set; }
    /// <summary>e_shnum as stored (0 with sections means the count is in section 0's sh_size).</summary>
    public ushort SectionHeaderCount { get; set; }
    /// <summary>e_shstrndx as stored (0xffff means the index is in section 0's sh_link).</summary>
    public ushort SectionNameTableIndex { get; set; }

    /// <summary>Bytes in an address, offset or word field: 4 for ELF32, 8 for ELF64.</summary>
    public int WordSize => Class == ElfClass.Elf64 ? 8 : 4;

    /// <summary>The largest address or offset the class can hold.</summary>
    public ulong MaxWord => Class == ElfClass.Elf64 ? ulong.MaxValue : uint.MaxValue;
}
