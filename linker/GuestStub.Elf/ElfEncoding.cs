namespace GuestStub.Elf;

/// <summary>EI_DATA: the byte order of every multi-byte field.</summary>
public enum ElfEncoding : byte
{
    None = 0,
    LittleEndian = 1,
    BigEndian = 2,
}
