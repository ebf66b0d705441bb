namespace GuestStub.Elf;

/// <summary>
/// One symbol table entry (Elf32_Sym / Elf64_Sym). Raw fields are kept for exact round trips;
/// <see cref="Name"/> is resolved from (and on write stored into) the linked string table.
/// </summary>
public sealed partial class ElfSymbol
{
    public string Name { get; set; } = "";
    /// <summary>st_name: offset of the name in the linked string table.</summary>
    public uint NameIndex { get; set; }
    public ulong Value { get; set; }
    public ulong Size { get; set; }
    /// <summary>st_info: binding in the high nibble, type in the low nibble.</summary>
    public byte Info { get; set; }
    /// <summary>st_other: visibility in the low two bits.</summary>
    public byte Other { get; set; }
    /// <summary>st_shndx: a section index or an <see cref="ElfSectionIndex"/> reserved value.</summary>
    public ushort SectionIndex { get; set; }

    public ElfSymbolBinding Binding
    {
        get => (ElfSymbolBinding)(Info >> 4);
        set => Info = (byte)(((byte)value << 4) | (Info & 0xf));
    }

    public ElfSymbolType Type
    {
        get => (ElfSymbolType)(Info & 0xf);
        set => Info = (byte)((Info & 0xf0) | ((byte)value & 0xf));
    }

    public ElfSymbolVisibility Visibility
    {
        get => (ElfSymbolVisibility)(Other & 0x3);
        set => Other = (byte)((Other & ~0x3) | ((byte)value & 0x3));
    }

    /// <summary>True for a symbol referenced but not defined here (st_shndx is SHN_UNDEF).</summary>
    public bool IsUndefined => SectionIndex == ElfSectionIndex.Undefined;

    public override string ToString() => $"{Name} = 0x{Value:x} ({Binding} {Type}, section {SectionIndex})";
}
