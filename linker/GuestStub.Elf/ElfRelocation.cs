namespace GuestStub.Elf;

/// <summary>
/// One relocation (Elf32_Rel[a] / Elf64_Rel[a]). r_info is split as the System V ABI says: ELF64
/// symbol in the high 32 bits and type in the low 32; ELF32 symbol in the high 24 and type in the low 8.
/// (MIPS64 little endian packs r_info differently; its raw value still round trips exactly.)
/// </summary>
public record struct ElfRelocation(ulong Offset, uint SymbolIndex, uint Type, long Addend)
{
    internal static ElfRelocation FromInfo(ulong offset, ulong info, long addend, ElfClass c) =>
        c == ElfClass.Elf64
            ? new ElfRelocation(offset, (uint)(info >> 32), (uint)info, addend)
            : new ElfRelocation(offset, (uint)(info >> 8) & 0xffffff, (uint)info & 0xff, addend);

    internal readonly ulong ToInfo(ElfClass c) =>
        c == ElfClass.Elf64
            ? ((ulong)SymbolIndex << 32) | Type
            : ((ulong)(SymbolIndex & 0xffffff) << 8) | (Type & 0xff);
}
