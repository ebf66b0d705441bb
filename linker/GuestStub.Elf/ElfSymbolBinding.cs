namespace GuestStub.Elf;

/// <summary>ELF_ST_BIND(st_info): the high nibble.</summary>
public enum ElfSymbolBinding : byte
{
    Local = 0,
    Global = 1,
    Weak = 2,
    GnuUnique = 10,
}
