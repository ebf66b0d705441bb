namespace GuestStub.Elf;

/// <summary>sh_type. Unnamed values (processor or OS specific) are kept as they are.</summary>
public enum ElfSectionType : uint
{
    Null = 0,
    ProgBits = 1,
    SymbolTable = 2,
    StringTable = 3,
    Rela = 4,
    Hash = 5,
    Dynamic = 6,
    Note = 7,
    NoBits = 8,
    Rel = 9,
    ShLib = 10,
    DynamicSymbolTable = 11,
    InitArray = 14,
    FiniArray = 15,
    PreInitArray = 16,
    Group = 17,
    SymbolTableSectionIndex = 18,
    LlvmAddrsig = 0x6fff4c03,
    GnuAttributes = 0x6ffffff5,
    GnuHash = 0x6ffffff6,
    GnuVersionDefinition = 0x6ffffffd,
    GnuVersionNeeds = 0x6ffffffe,
    GnuVersionSymbols = 0x6fffffff,
    ArmExceptionIndex = 0x70000001,
    ArmAttributes = 0x70000003,
}
