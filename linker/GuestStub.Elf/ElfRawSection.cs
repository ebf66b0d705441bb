using System;

namespace GuestStub.Elf;

/// <summary>
/// A section whose content is kept as bytes, unchanged: every type this library does not model
/// (code, data, debug info, dynamic, hash, ...), SHT_NOBITS (no bytes), and section 0.
/// </summary>
public sealed class ElfRawSection : ElfSection
{
    public ElfRawSection() { }

    public ElfRawSection(string name, ElfSectionType type, byte[] data)
    {
        Name = name;
        Type = type;
        Data = data;
        Size = (ulong)data.Length;
        Alignment = 1;
    }

    /// <summary>The content. Empty for SHT_NOBITS and SHT_NULL, whose <see cref="ElfSection.Size"/> stands alone.</summary>
    public byte[] Data { get; set; } = Array.Empty<byte>();

    public override ulong GetContentSize(ElfClass elfClass) => HasFileContent ? (ulong)Data.Length : 0;

    internal override void WriteContent(Span<byte> destination, ElfClass elfClass, ElfEncoding encoding) =>
        Data.CopyTo(destination);
}
