using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>Program header types by their gABI names (PT_LOAD, ...), for messages.</summary>
public static class ElfSegmentNames
{
    public static string Type(ElfSegmentType type) => type.Value switch
    {
        0 => "PT_NULL",
        1 => "PT_LOAD",
        2 => "PT_DYNAMIC",
        3 => "PT_INTERP",
        4 => "PT_NOTE",
        5 => "PT_SHLIB",
        6 => "PT_PHDR",
        7 => "PT_TLS",
        0x6474e550 => "PT_GNU_EH_FRAME",
        0x6474e551 => "PT_GNU_STACK",
        0x6474e552 => "PT_GNU_RELRO",
        0x6474e553 => "PT_GNU_PROPERTY",
        _ => $"segment type 0x{type.Value:x}",
    };
}
