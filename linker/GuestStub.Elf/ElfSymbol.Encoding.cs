using System;

namespace GuestStub.Elf;

public sealed partial class ElfSymbol
{
    /// <summary>Field offsets of Elf32_Sym and Elf64_Sym, which order their fields differently.</summary>
    internal static class Layout
    {
        public const int NameOffset = 0;

        public const int Info64Offset = NameOffset + 4;
        public const int Other64Offset = Info64Offset + 1;
        public const int SectionIndex64Offset = Other64Offset + 1;
        public const int Value64Offset = SectionIndex64Offset + 2;
        public const int Size64Offset = Value64Offset + 8;
        public const int Size64 = Size64Offset + 8;

        public const int Value32Offset = NameOffset + 4;
        public const int Size32Offset = Value32Offset + 4;
        public const int Info32Offset = Size32Offset + 4;
        public const int Other32Offset = Info32Offset + 1;
        public const int SectionIndex32Offset = Other32Offset + 1;
        public const int Size32 = SectionIndex32Offset + 2;

        public static int Size(ElfClass c) => c == ElfClass.Elf64 ? Size64 : Size32;
    }

    internal static ElfSymbol Read(ReadOnlySpan<byte> record, ElfClass c, ElfEncoding e)
    {
        var r = new ElfDataReader(record, c, e);
        bool is64 = c == ElfClass.Elf64;
        return new ElfSymbol
        {
            NameIndex = r.U32(Layout.NameOffset),
            Value = is64 ? r.U64(Layout.Value64Offset) : r.U32(Layout.Value32Offset),
            Size = is64 ? r.U64(Layout.Size64Offset) : r.U32(Layout.Size32Offset),
            Info = r.U8(is64 ? Layout.Info64Offset : Layout.Info32Offset),
            Other = r.U8(is64 ? Layout.Other64Offset : Layout.Other32Offset),
            SectionIndex = r.U16(is64 ? Layout.SectionIndex64Offset : Layout.SectionIndex32Offset),
        };
    }

    internal void Write(Span<byte> record, ElfClass c, ElfEncoding e)
    {
        var w = new ElfDataWriter(record, c, e);
        bool is64 = c == ElfClass.Elf64;
        w.U32(Layout.NameOffset, NameIndex);
        if (is64)
        {
            w.U64(Layout.Value64Offset, Value);
            w.U64(Layout.Size64Offset, Size);
        }
        else
        {
            w.U32(Layout.Value32Offset, unchecked((uint)Value));
            w.U32(Layout.Size32Offset, unchecked((uint)Size));
        }
        w.U8(is64 ? Layout.Info64Offset : Layout.Info32Offset, Info);
        w.U8(is64 ? Layout.Other64Offset : Layout.Other32Offset, Other);
        w.U16(is64 ? Layout.SectionIndex64Offset : Layout.SectionIndex32Offset, SectionIndex);
    }
}
