using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.Elf.Tests.TestSupport;
using Xunit;

namespace GuestStub.Elf.Tests;

/// <summary>Each kind of malformed input gets its own diagnostic code, naming the field and its byte offset.</summary>
public sealed class MalformedInputTests
{
    // Elf64_Ehdr field offsets (little-endian aarch64 fixture).
    private const int PhOff = 0x20, ShOff = 0x28, ShEntSize = 0x3a, ShStrNdx = 0x3e;

    private static byte[] Object() => File.ReadAllBytes(Fixtures.Find("aarch64-linux-gnu.o"));

    private static byte[] Executable() => File.ReadAllBytes(Fixtures.AArch64Executable);

    private static ElfDiagnostic Rejected(byte[] bytes, ElfDiagnosticCode code)
    {
        Assert.False(ElfFile.TryRead(bytes, out _, out IReadOnlyList<ElfDiagnostic> diagnostics));
        ElfDiagnostic? d = diagnostics.FirstOrDefault(x => x.Code == code && x.Severity == ElfSeverity.Error);
        Assert.True(d is not null, $"no {code} among: {string.Join("; ", diagnostics)}");
        return d.Value;
    }

    private static ulong SectionHeader(byte[] b, int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(ShOff)) + (ulong)index * 64;

    private static int IndexOf(byte[] b, string name)
    {
        Assert.True(ElfFile.TryRead(b, out ElfFile? f, out _));
        return f.FindSection(name)!.Index;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(15)]
    [InlineData(40)]
    public void Truncated_IsReportedAtOffsetZero(int length)
    {
        Assert.Null(ElfFile.Read(Object().AsSpan(0, length).ToArray(), out var diagnostics));
        ElfDiagnostic d = Assert.Single(diagnostics);
        Assert.Equal(ElfDiagnosticCode.Truncated, d.Code);
        Assert.Equal(0UL, d.Offset);
    }

    [Fact]
    public void BadMagicAndClass_AreNamed()
    {
        byte[] b = Object();
        b[1] = (byte)'X';
        Assert.Null(ElfFile.Read(b, out IReadOnlyList<ElfDiagnostic> notElf));
        Assert.Equal(ElfDiagnosticCode.NotElf, Assert.Single(notElf).Code);
        b = Object();
        b[4] = 7;
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.UnsupportedClass);
        Assert.Equal("EI_CLASS", d.Field);
        Assert.Equal(4UL, d.Offset);
    }

    [Theory]
    [InlineData(0x10000UL)]
    [InlineData(ulong.MaxValue - 8)]
    [InlineData(ulong.MaxValue)]
    public void SectionTablePastEndOrOverflowing_IsTablePastEnd(ulong offset)
    {
        byte[] b = Object();
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(ShOff), offset);
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.TablePastEnd);
        Assert.Equal("e_shoff", d.Field);
        Assert.Equal((ulong)ShOff, d.Offset);
    }

    [Fact]
    public void ProgramTableOverflowing_IsTablePastEnd()
    {
        byte[] b = Executable();
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(PhOff), ulong.MaxValue - 0x10);
        Assert.Equal((ulong)PhOff, Rejected(b, ElfDiagnosticCode.TablePastEnd).Offset);
    }

    [Fact]
    public void BadSectionEntrySize_IsNamed()
    {
        byte[] b = Object();
        b[ShEntSize] = 63;
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.BadEntrySize);
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
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.ContentPastEnd);
        Assert.Equal(header + 0x18, d.Offset); // sh_offset
        Assert.Contains($"section header {text}", d.Field);
    }

    [Fact]
    public void BadSectionNameIndex_NamesShName()
    {
        byte[] b = Object();
        int text = IndexOf(b, ".text");
        ulong header = SectionHeader(b, text);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)header), 0x7fff0000);
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.BadStringIndex);
        Assert.Equal(header, d.Offset);
        Assert.Equal($"section header {text} sh_name", d.Field);
    }

    [Fact]
    public void BadSectionNameTableIndex_IsNamed()
    {
        byte[] b = Object();
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(ShStrNdx), 0x4000);
        Assert.Equal((ulong)ShStrNdx, Rejected(b, ElfDiagnosticCode.BadSectionIndex).Offset);
    }

    [Fact]
    public void BadSymbolEntrySizeAndName_AreNamed()
    {
        byte[] b = Object();
        int symtab = IndexOf(b, ".symtab");
        ulong header = SectionHeader(b, symtab);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan((int)header + 0x38), 16); // sh_entsize
        Assert.Equal(header + 0x38, Rejected(b, ElfDiagnosticCode.BadEntrySize).Offset);

        b = Object();
        ulong symbols = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)header + 0x18));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)symbols + 24), 0xfffffff0); // symbol 1 st_name
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.BadStringIndex);
        Assert.Equal(symbols + 24, d.Offset);
        Assert.Contains("symbol 1", d.Field);
    }

    [Fact]
    public void BadRelocationSymbolIndex_IsNamed()
    {
        byte[] b = Object();
        int rela = IndexOf(b, ".rela.text");
        ulong header = SectionHeader(b, rela);
        ulong entries = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)header + 0x18));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)entries + 12), 0x00ffffff); // r_info high half: symbol
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.BadSymbolIndex);
        Assert.Equal(entries + 8, d.Offset);
    }

    [Fact]
    public void OverlappingLoadSegments_AreRejected()
    {
        byte[] b = Executable();
        Assert.True(ElfFile.TryRead(b, out ElfFile? f, out _));
        int[] loads = Enumerable.Range(0, f.Segments.Count).Where(i => f.Segments[i].IsLoad).ToArray();
        Assert.True(loads.Length >= 2);
        ulong phoff = f.Header.ProgramHeaderOffset;
        ElfSegment first = f.Segments[loads[0]];
        // Point the second PT_LOAD at the first one's bytes and addresses: congruent, but overlapping in memory.
        ulong second = phoff + (ulong)loads[1] * 56;
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan((int)second + 8), first.Offset);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan((int)second + 16), first.VirtualAddress);
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.SegmentOverlap);
        Assert.Equal(second + 16, d.Offset);
    }

    [Fact]
    public void BadNote_NamesTheNoteField()
    {
        byte[] b = Executable();
        int note = IndexOf(b, ".note.gnu.build-id");
        ulong header = SectionHeader(b, note);
        ulong at = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)header + 0x18));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)at + 4), 0x10000); // n_descsz
        ElfDiagnostic d = Rejected(b, ElfDiagnosticCode.BadNote);
        Assert.Equal(at + 4, d.Offset);
        Assert.Contains("n_descsz", d.Field);
    }
}
