using System;

namespace GuestStub.Elf;

/// <summary>
/// One section: its header (Elf32_Shdr / Elf64_Shdr) plus content. Subclasses give typed views of
/// the content (string, symbol, relocation and note tables); anything else is an
/// <see cref="ElfRawSection"/> holding its bytes unchanged.
/// </summary>
public abstract partial class ElfSection
{
    /// <summary>The name; on write it is looked up in (or added to) the section name table.</summary>
    public string Name { get; set; } = "";
    /// <summary>sh_name: the offset of the name in the section name table.</summary>
    public uint NameIndex { get; set; }
    public ElfSectionType Type { get; set; }
    public ElfSectionFlags Flags { get; set; }
    public ulong Address { get; set; }
    /// <summary>sh_offset. New sections are placed by <see cref="ElfFile.Write"/>.</summary>
    public ulong Offset { get; set; }
    /// <summary>sh_size. For sections with file content it is recomputed from the content on write.</summary>
    public ulong Size { get; set; }
    public uint Link { get; set; }
    public uint Info { get; set; }
    public ulong Alignment { get; set; }
    public ulong EntrySize { get; set; }

    /// <summary>Position in <see cref="ElfFile.Sections"/>, or -1 when not in a file.</summary>
    public int Index { get; internal set; } = -1;

    /// <summary>The file that holds this section, or null.</summary>
    public ElfFile? File { get; internal set; }

    /// <summary>True once the section has a file offset (read from a file, or placed by a write).</summary>
    internal bool IsPlaced { get; set; }

    /// <summary>Bytes of the file this section's content may occupy without moving (its size when read).</summary>
    internal ulong SlotSize { get; set; }

    /// <summary>True when the section occupies bytes in the file (not SHT_NULL, not SHT_NOBITS).</summary>
    public bool HasFileContent => Type is not (ElfSectionType.Null or ElfSectionType.NoBits);

    public bool IsAllocated => (Flags & ElfSectionFlags.Alloc) != 0;

    /// <summary>Bytes the content occupies in a file of the given class.</summary>
    public abstract ulong GetContentSize(ElfClass elfClass);

    /// <summary>Encodes the content into <paramref name="destination"/> (exactly GetContentSize bytes).</summary>
    internal abstract void WriteContent(Span<byte> destination, ElfClass elfClass, ElfEncoding encoding);

    /// <summary>Resolves names into linked string tables before sizes are computed for a write.</summary>
    internal virtual void PrepareForWrite() { }

    /// <summary>The content bytes as they would be written.</summary>
    public byte[] GetContentBytes()
    {
        ElfClass c = File?.Header.Class ?? ElfClass.Elf64;
        ElfEncoding e = File?.Header.Encoding ?? ElfEncoding.LittleEndian;
        if (!HasFileContent)
            return Array.Empty<byte>();
        var bytes = new byte[checked((int)GetContentSize(c))];
        WriteContent(bytes, c, e);
        return bytes;
    }

    internal void CopyHeaderFrom(ElfSection other)
    {
        Name = other.Name;
        NameIndex = other.NameIndex;
        Type = other.Type;
        Flags = other.Flags;
        Address = other.Address;
        Offset = other.Offset;
        Size = other.Size;
        Link = other.Link;
        Info = other.Info;
        Alignment = other.Alignment;
        EntrySize = other.EntrySize;
        IsPlaced = other.IsPlaced;
        SlotSize = other.SlotSize;
    }

    public override string ToString() => $"[{Index}] {Name} {ElfNames.SectionType(Type)} off=0x{Offset:x} size=0x{Size:x}";
}
