using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// A section whose header LibObjectFile has decoded but whose content it must not read yet: the
/// first pass of <see cref="ElfInput.Read"/> creates every section as one of these (through
/// <see cref="ElfReaderOptions.TryCreateSection"/>), so that sizes and offsets can be checked
/// before LibObjectFile allocates and reads what they claim. LibObjectFile reads no content for a
/// SHT_NOBITS section, so it carries the sh_type it was read with in <see cref="ReadType"/>.
/// </summary>
internal sealed class UnreadSection : ElfSection
{
    public UnreadSection(ElfSectionType readType) : base(ElfSectionType.NoBits) => ReadType = readType;

    /// <summary>The section's sh_type in the file.</summary>
    public ElfSectionType ReadType { get; }

    /// <summary>True for the types whose sh_offset and sh_size name bytes of the file.</summary>
    public bool HasFileContent => ReadType is not (ElfSectionType.NoBits or ElfSectionType.Null);
}
