using System;

namespace GuestStub.Elf;

public sealed partial class ElfHeader
{
    /// <summary>Writes the header fields as they are; <see cref="ElfFile"/> sets the table fields first.</summary>
    internal void Write(Span<byte> file)
    {
        int word = WordSize;
        Span<byte> record = file.Slice(0, Layout.Size(word));
        Layout.Magic.CopyTo(record.Slice(Layout.MagicOffset));
        var w = new ElfDataWriter(record, Class, Encoding);
        w.U8(Layout.ClassOffset, (byte)Class);
        w.U8(Layout.EncodingOffset, (byte)Encoding);
        w.U8(Layout.IdentVersionOffset, IdentVersion);
        w.U8(Layout.OsAbiOffset, OsAbi);
        w.U8(Layout.AbiVersionOffset, AbiVersion);
        record.Slice(Layout.PaddingOffset, Layout.PaddingSize).Clear();
        IdentPadding.AsSpan(0, Math.Min(IdentPadding.Length, Layout.PaddingSize)).CopyTo(record.Slice(Layout.PaddingOffset));
        w.U16(Layout.TypeOffset, (ushort)Type);
        w.U16(Layout.MachineOffset, (ushort)Machine);
        w.U32(Layout.VersionOffset, Version);
        w.Word(Layout.EntryOffset, Entry);
        w.Word(Layout.ProgramHeaderOffsetOffset(word), ProgramHeaderOffset);
        w.Word(Layout.SectionHeaderOffsetOffset(word), SectionHeaderOffset);
        w.U32(Layout.FlagsOffset(word), Flags);
        w.U16(Layout.HeaderSizeOffset(word), HeaderSize);
        w.U16(Layout.ProgramHeaderEntrySizeOffset(word), ProgramHeaderEntrySize);
        w.U16(Layout.ProgramHeaderCountOffset(word), ProgramHeaderCount);
        w.U16(Layout.SectionHeaderEntrySizeOffset(word), SectionHeaderEntrySize);
        w.U16(Layout.SectionHeaderCountOffset(word), SectionHeaderCount);
        w.U16(Layout.SectionNameTableIndexOffset(word), SectionNameTableIndex);
    }
}
