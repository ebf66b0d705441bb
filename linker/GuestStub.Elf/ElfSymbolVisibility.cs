namespace GuestStub.Elf;

/// <summary>ELF_ST_VISIBILITY(st_other): the low two bits.</summary>
public enum ElfSymbolVisibility : byte
{
    Default = 0,
    Internal = 1,
    Hidden = 2,
    Protected = 3,
}
