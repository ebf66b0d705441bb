namespace GuestStub.Elf;

/// <summary>e_type. Values outside the named ones are kept as they are.</summary>
public enum ElfFileType : ushort
{
    None = 0,
    Relocatable = 1,
    Executable = 2,
    SharedObject = 3,
    Core = 4,
}
