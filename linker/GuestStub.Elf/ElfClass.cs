namespace GuestStub.Elf;

/// <summary>EI_CLASS: the width of addresses and offsets.</summary>
public enum ElfClass : byte
{
    None = 0,
    Elf32 = 1,
    Elf64 = 2,
}
