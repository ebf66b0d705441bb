using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using LibObjectFile.Elf;
using Xunit;

namespace GuestStub.ElfInputChecks.Tests;

/// <summary>Each kind of malformed input is refused with an error naming the field and its byte offset.</summary>
public sealed class MalformedInputTests
{
    // Elf64_Ehdr field offsets (little-endian aarch64 fixture).
    private const int PhOff = 0x20, ShOff = 0x28, ShEntSize = 0x3a, ShStrNdx = 0x3e;

    private static byte[] Object() => File.ReadAllBytes(Fixtures.Find("aarch64-linux-gnu.o"));

    private static byte[] Executable() => File.ReadAllBytes(Fixtures.AArch64Executable);

    /// <summary>The error about <paramref name="field"/> (its name contains it), which must be there.</summary>
    private static ElfFieldError Rejected(byte[] bytes, string field)
    {
        ElfInputResult result = ElfInput.Read(bytes);
        Assert.Null(result.File);
        ElfFieldError? e = result.Errors.Where(x => x.Field.Contains(field)).Cast<ElfFieldError?>().FirstOrDefault();
        Assert.True(e is not null, $"no error about {field} among: {string.Join("; ", result.Errors)}");
        return e.Value;
    }

    private static ulong SectionHeader(byte[] b, int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(ShOff)) + (ulong)index * 64;

    private static int IndexOf(byte[] b, string name) =>
        ElfInput.Read(b).File!.FindSection(name)!.SectionIndex;

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(15)]
    [InlineData(40)]
    public void Truncated_IsReportedAtOffsetZero(int length)
    {
        ElfInputResult result = ElfInput.Read(Object().AsSpan(0, length).ToArray());
        Assert.Null(result.File);
        ElfFieldError e = Assert.Single(result.Errors);
        Assert.Equal(0UL, e.Offset);
        Assert.Contains($"the file is {length} bytes", e.Message);
    }

    [Fact]
    public void BadMagicAndClass_AreNamed()
    {
        byte[] b = Object();
        b[1] = (byte)'X';
        Assert.Contains("not an ELF file", Assert.Single(ElfInput.Read(b).Errors).Message);
        b = Object();
        b[4] = 7;
        ElfFieldError e = Rejected(b, "EI_CLASS");
        Assert.Equal("e_ident[EI_CLASS]", e.Field);
        Assert.Equal(4UL, e.Offset);
    }

    [Theory]
    [InlineData(0x10000UL)]
    [InlineData(ulong.MaxValue - 8)]
    [InlineData(ulong.MaxValue)]
    public void SectionTablePastEndOrOverflowing_IsTablePastEnd(ulong offset)
    {
        byte[] b = Object();
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(ShOff), offset);
        ElfFieldError d = Rejected(b, "e_shoff");
        Assert.Equal("e_shoff", d.Field);
        Assert.Equal((ulong)ShOff, d.Offset);
    }

    [Fact]
    public void ProgramTableOverflowing_IsTablePastEnd()
    {
        byte[] b = Executable();
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(PhOff), ulong.MaxValue - 0x10);
        Assert.Equal((ulong)PhOff, Rejected(b, "e_phoff").Offset);
    }

    [Fact]
    public void BadSectionEntrySize_IsNamed()
    {
        byte[] b = Object();
        b[ShEntSize] = 63;
        ElfFieldError d = Rejected(b, "e_shentsize");
        Assert.Equal("e_shentsize", d.Field);
        Assert.Equal((ulong)ShEntSize, d.Offset);
    }

    [Fact]
    public void SectionContentPastEnd_NamesTheSectionHeaderField()
    {
        byte[] b = Object();
        int text = IndexOf(b, ".text");
        ulong header = SectionHeader(b, text);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan((int)header + 0x20), ulong.MaxValue - 2); // sh_size
        ElfFieldError d = Rejected(b, "sh_size");
        Assert.Equal(header + 0x20, d.Offset);
        Assert.Equal($"section header {text} sh_size", d.Field);
    }

    [Fact]
    public void BadSectionNameIndex_NamesShName()
    {
        byte[] b = Object();
        int text = IndexOf(b, ".text");
        ulong header = SectionHeader(b, text);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)header), 0x7fff0000);
        ElfFieldError d = Rejected(b, "sh_name");
        Assert.Equal(header, d.Offset);
        Assert.Equal($"section header {text} sh_name", d.Field);
    }

    [Fact]
    public void BadSectionNameTableIndex_IsNamed()
    {
        byte[] b = Object();
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(ShStrNdx), 0x4000);
        Assert.Equal((ulong)ShStrNdx, Rejected(b, "e_shstrndx").Offset);
    }

    [Fact]
    public void BadSymbolEntrySizeAndName_AreNamed()
    {
        byte[] b = Object();
        int symtab = IndexOf(b, ".symtab");
        ulong header = SectionHeader(b, symtab);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan((int)header + 0x38), 16); // sh_entsize
        Assert.Equal(header + 0x38, Rejected(b, "sh_entsize").Offset);

        b = Object();
        ulong symbols = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)header + 0x18));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)symbols + 24), 0xfffffff0); // symbol 1 st_name
        ElfFieldError d = Rejected(b, "st_name");
        Assert.Equal(symbols + 24, d.Offset);
        Assert.Equal("'.symtab' symbol 1 st_name", d.Field);
    }

    [Fact]
    public void BadRelocationSymbolIndex_IsNamed()
    {
        byte[] b = Object();
        int rela = IndexOf(b, ".rela.text");
        ulong header = SectionHeader(b, rela);
        ulong entries = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)header + 0x18));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)entries + 12), 0x00ffffff); // r_info high half: symbol
        ElfFieldError d = Rejected(b, "r_info");
        Assert.Equal(entries + 8, d.Offset);
    }

    [Fact]
    public void OverlappingLoadSegments_AreRejected()
    {
        byte[] b = Executable();
        ElfFile f = ElfInput.Read(b).File!;
        int[] loads = Enumerable.Range(0, f.Segments.Count).Where(i => f.Segments[i].Type == ElfSegmentTypeCore.Load).ToArray();
        Assert.True(loads.Length >= 2);
        ulong phoff = f.Layout.OffsetOfProgramHeaderTable;
        ElfSegment first = f.Segments[loads[0]];
        // Point the second PT_LOAD at the first one's bytes and addresses: congruent, but overlapping in memory.
        ulong second = phoff + (ulong)loads[1] * 56;
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan((int)second + 8), first.Position);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan((int)second + 16), first.VirtualAddress);
        ElfFieldError d = Rejected(b, "p_vaddr");
        Assert.Equal(second + 16, d.Offset);
        Assert.Contains("overlaps", d.Message);
    }

    [Fact]
    public void BadNote_IsRefusedWithALocatedError()
    {
        byte[] b = Executable();
        int note = IndexOf(b, ".note.gnu.build-id");
        ulong header = SectionHeader(b, note);
        ulong at = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)header + 0x18));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)at + 4), 0x10000); // n_descsz
        ElfInputResult result = ElfInput.Read(b);
        Assert.Null(result.File);
        // LibObjectFile reads notes itself and reports only that it ran out of bytes.
        Assert.Contains(result.Errors, e => e.Message.Contains("end of file", StringComparison.OrdinalIgnoreCase) && e.Field.Length > 0);
    }
}
