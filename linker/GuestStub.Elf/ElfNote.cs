using System;
using System.Text;

namespace GuestStub.Elf;

/// <summary>One note (Elf_Nhdr plus name and descriptor), as found in SHT_NOTE sections and PT_NOTE segments.</summary>
public sealed partial class ElfNote
{
    public ElfNote(string name, uint type, byte[] descriptor)
    {
        Name = name;
        Type = type;
        Descriptor = descriptor;
    }

    /// <summary>The owner, e.g. "GNU"; stored NUL-terminated (namesz counts the NUL; "" has namesz 0).</summary>
    public string Name { get; set; }
    public uint Type { get; set; }
    public byte[] Descriptor { get; set; }

    /// <summary>A GNU build-id note (NT_GNU_BUILD_ID) carrying <paramref name="buildId"/>.</summary>
    public static ElfNote GnuBuildId(byte[] buildId) => new(ElfNoteType.GnuOwner, ElfNoteType.GnuBuildId, buildId);

    /// <summary>A note whose descriptor is NUL-terminated UTF-8 text, e.g. a version string.</summary>
    public static ElfNote Text(string owner, uint type, string text)
    {
        byte[] descriptor = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, descriptor);
        return new ElfNote(owner, type, descriptor);
    }

    /// <summary>The descriptor as lowercase hex, as readelf prints build ids.</summary>
    public string DescriptorHex => Convert.ToHexStringLower(Descriptor);

    public override string ToString() => $"{Name} type 0x{Type:x} ({Descriptor.Length} bytes)";
}
