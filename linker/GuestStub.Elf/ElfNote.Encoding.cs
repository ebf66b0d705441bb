using System;
using System.Collections.Generic;
using System.Text;

namespace GuestStub.Elf;

public sealed partial class ElfNote
{
    /// <summary>Elf_Nhdr: n_namesz, n_descsz, n_type (all 32-bit in both classes), then name and descriptor.</summary>
    internal static class Layout
    {
        public const int NameSizeOffset = 0;
        public const int DescriptorSizeOffset = NameSizeOffset + 4;
        public const int TypeOffset = DescriptorSizeOffset + 4;
        public const int HeaderSize = TypeOffset + 4;
    }

    /// <summary>Notes pad name and descriptor to 4 bytes, or to 8 in a section or segment aligned to 8.</summary>
    public static ulong PaddingFor(ulong alignment) => alignment == 8 ? 8u : 4u;

    /// <summary>
    /// Parses a run of notes. On malformed input returns false with the field and the offset (relative
    /// to <paramref name="bytes"/>) of the first bad note; never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, ulong padding, ElfEncoding encoding,
        out List<ElfNote> notes, out string badField, out ulong badOffset)
    {
        notes = new List<ElfNote>();
        badField = "";
        badOffset = 0;
        ulong length = (ulong)bytes.Length;
        ulong pos = 0;
        while (pos < length)
        {
            if (!ElfBounds.FitsWithin(pos, Layout.HeaderSize, length))
            {
                (badField, badOffset) = ("note header", pos);
                return false;
            }
            var r = new ElfDataReader(bytes.Slice((int)pos, Layout.HeaderSize), ElfClass.Elf32, encoding);
            uint nameSize = r.U32(Layout.NameSizeOffset);
            uint descSize = r.U32(Layout.DescriptorSizeOffset);
            uint type = r.U32(Layout.TypeOffset);
            ulong nameAt = pos + Layout.HeaderSize;
            if (!ElfBounds.FitsWithin(nameAt, nameSize, length))
            {
                (badField, badOffset) = ("n_namesz", pos + Layout.NameSizeOffset);
                return false;
            }
            ulong descAt = ElfBounds.AlignUp(nameAt + nameSize, padding);
            if (!ElfBounds.FitsWithin(descAt, descSize, length))
            {
                (badField, badOffset) = ("n_descsz", pos + Layout.DescriptorSizeOffset);
                return false;
            }
            ReadOnlySpan<byte> name = bytes.Slice((int)nameAt, (int)nameSize);
            if (name.Length > 0 && name[^1] == 0)
                name = name[..^1];
            notes.Add(new ElfNote(Encoding.UTF8.GetString(name), type, bytes.Slice((int)descAt, (int)descSize).ToArray()));
            pos = Math.Min(ElfBounds.AlignUp(descAt + descSize, padding), length);
        }
        return true;
    }

    internal ulong EncodedSize(ulong padding)
    {
        ulong nameSize = NameSize;
        return ElfBounds.AlignUp(ElfBounds.AlignUp(Layout.HeaderSize + nameSize, padding) + (ulong)Descriptor.Length, padding);
    }

    private uint NameSize => Name.Length == 0 ? 0u : (uint)Encoding.UTF8.GetByteCount(Name) + 1;

    /// <summary>Encodes the note with zero padding; <paramref name="destination"/> is EncodedSize bytes.</summary>
    internal void Write(Span<byte> destination, ulong padding, ElfEncoding encoding)
    {
        destination.Clear();
        var w = new ElfDataWriter(destination, ElfClass.Elf32, encoding);
        w.U32(Layout.NameSizeOffset, NameSize);
        w.U32(Layout.DescriptorSizeOffset, (uint)Descriptor.Length);
        w.U32(Layout.TypeOffset, Type);
        Encoding.UTF8.GetBytes(Name, destination.Slice(Layout.HeaderSize));
        int descAt = (int)ElfBounds.AlignUp(Layout.HeaderSize + (ulong)NameSize, padding);
        Descriptor.CopyTo(destination.Slice(descAt));
    }
}
