namespace GuestStub.Elf;

/// <summary>Reserved section indexes (SHN_*) as they appear in st_shndx and e_shstrndx.</summary>
public static class ElfSectionIndex
{
    public const ushort Undefined = 0;
    /// <summary>SHN_LORESERVE: indexes from here up are not section indexes.</summary>
    public const ushort LowReserve = 0xff00;
    public const ushort Absolute = 0xfff1;
    public const ushort Common = 0xfff2;
    /// <summary>SHN_XINDEX: the real index is elsewhere (section 0 or SHT_SYMTAB_SHNDX).</summary>
    public const ushort ExtendedIndex = 0xffff;

    /// <summary>e_phnum value meaning "the count is in section 0's sh_info".</summary>
    public const ushort ProgramHeaderExtendedCount = 0xffff;

    public static bool IsReserved(ushort index) => index >= LowReserve;
}
