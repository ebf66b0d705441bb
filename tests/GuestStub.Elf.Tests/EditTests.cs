using System;
using System.IO;
using System.Linq;
using GuestStub.Elf.Tests.TestSupport;
using Xunit;

namespace GuestStub.Elf.Tests;

/// <summary>The editing operations the packager needs, checked by reading the result back with llvm-readelf and GNU readelf.</summary>
public sealed class EditTests
{
    private static readonly byte[] BuildId = Enumerable.Range(0, 20).Select(i => (byte)(0xa0 + i)).ToArray();

    [Theory]
    [InlineData("aarch64-linux-gnu.elf")]
    [InlineData("mips-linux-gnu.elf")]
    [InlineData("powerpc64-linux-gnu.elf")]
    [InlineData("aarch64-linux-gnu-g.o")]
    public void AddNoteSection_BuildIdAndVersion_ReadelfShowsThem(string fixture)
    {
        string path = Fixtures.Find(fixture);
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(path), out ElfFile? file, out _));
        byte[][] loadsBefore = file.LoadSegments.Select(s => LoadedBytesAfterHeader(file, s)).ToArray();

        file.AddNoteSection(".note.gueststub", ElfNote.GnuBuildId(BuildId), ElfNote.Text("GuestStub", 1, "0.1.0"));
        Assert.DoesNotContain(file.Verify(), d => d.Severity == ElfSeverity.Error);
        string output = WriteTemp(file, fixture + ".noted");

        string notes = Tool.RunChecked(Tool.ReadElf, "--notes", output);
        Assert.Contains("NT_GNU_BUILD_ID", notes);
        Assert.Contains(Convert.ToHexStringLower(BuildId), notes);
        Assert.Contains("GuestStub", notes);
        Tool.Result gnu = Tool.Run("readelf", "-n", "-S", "-W", output);
        Assert.Equal(0, gnu.ExitCode);
        Assert.DoesNotContain("Warning", gnu.Stderr);
        Assert.Contains(".note.gueststub", gnu.Stdout);
        Assert.Contains(Convert.ToHexStringLower(BuildId), gnu.Stdout);

        Assert.True(ElfFile.TryRead(File.ReadAllBytes(output), out ElfFile? reread, out var diagnostics), string.Join("\n", diagnostics));
        Assert.Empty(ReadElfComparer.Compare(output, reread));
        var section = Assert.IsType<ElfNoteSection>(reread.FindSection(".note.gueststub"));
        Assert.Equal(ElfNoteType.GnuBuildId, section.Notes[0].Type);
        Assert.Equal(BuildId, section.Notes[0].Descriptor);
        Assert.Equal("0.1.0\0", System.Text.Encoding.UTF8.GetString(section.Notes[1].Descriptor));
        // The loadable image is untouched by a non-allocated section.
        Assert.Equal(loadsBefore, reread.LoadSegments.Select(s => LoadedBytesAfterHeader(reread, s)).ToArray());
    }

    [Fact]
    public void AddSymbol_Global_IsListedByReadelfAndFound()
    {
        string path = Fixtures.Find("aarch64-linux-gnu.o");
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(path), out ElfFile? file, out _));
        ElfSection data = file.FindSection(".data")!;
        file.AddSymbol("gueststub_marker", 8, 4, ElfSymbolBinding.Global, ElfSymbolType.Object, data);
        string output = WriteTemp(file, "marker.o");

        string symbols = Tool.RunChecked(Tool.ReadElf, "-s", "-W", output);
        Assert.Contains("gueststub_marker", symbols);
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(output), out ElfFile? reread, out _));
        ElfSymbol marker = reread.FindSymbol("gueststub_marker")!;
        Assert.Equal(8UL, marker.Value);
        Assert.Equal(ElfSymbolBinding.Global, marker.Binding);
        Assert.Equal(".data", reread.SectionOf(marker)!.Name);
        Assert.Empty(ReadElfComparer.Compare(output, reread));
    }

    [Theory]
    [InlineData("armv7-linux-gnueabihf.o")]
    [InlineData("aarch64-linux-gnu-g.o")]
    public void AddSymbol_Local_KeepsRelocationsPointingAtTheSameSymbols(string fixture)
    {
        string path = Fixtures.Find(fixture);
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(path), out ElfFile? file, out _));
        string[] before = RelocationSymbolNames(file);
        uint localsBefore = file.SymbolTable!.Info;

        file.AddSymbol("$gueststub.local", 0, 0, ElfSymbolBinding.Local, ElfSymbolType.NoType, file.FindSection(".text"));
        string output = WriteTemp(file, fixture + ".local");

        Assert.True(ElfFile.TryRead(File.ReadAllBytes(output), out ElfFile? reread, out var diagnostics), string.Join("\n", diagnostics));
        Assert.Equal(localsBefore + 1, reread.SymbolTable!.Info);
        Assert.Equal(before, RelocationSymbolNames(reread));
        Tool.Result r = Tool.Run(Tool.ReadElf, "-r", "-s", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Empty(ReadElfComparer.Compare(output, reread));
    }

    [Fact]
    public void LoadSegments_ReadTheirFileBytes()
    {
        string path = Fixtures.AArch64Executable;
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(ElfFile.TryRead(bytes, out ElfFile? file, out _));
        ElfSegment[] loads = file.LoadSegments.ToArray();
        Assert.NotEmpty(loads);
        Assert.Contains(loads, s => s.IsExecutable);
        foreach (ElfSegment s in loads)
            Assert.Equal(bytes.AsSpan((int)s.Offset, (int)s.FileSize).ToArray(), file.ReadSegmentBytes(s));
        ElfSymbol entry = file.FindSymbol("entry")!;
        Assert.Equal(file.Header.Entry, entry.Value);
    }

    [Fact]
    public void Create_FromScratch_IsAcceptedByReadelf()
    {
        ElfFile file = ElfFile.Create(ElfClass.Elf32, ElfEncoding.BigEndian, ElfFileType.Relocatable, ElfMachine.Mips);
        var text = file.AddSection(new ElfRawSection(".text", ElfSectionType.ProgBits, new byte[] { 0x03, 0xe0, 0x00, 0x08, 0, 0, 0, 0 })
        {
            Flags = ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr,
            Alignment = 4,
        });
        file.AddSymbol("_start", 0, 8, ElfSymbolBinding.Global, ElfSymbolType.Function, text);
        file.AddNoteSection(".note.gnu.build-id", ElfNote.GnuBuildId(BuildId));
        string output = WriteTemp(file, "scratch.o");

        Tool.Result r = Tool.Run(Tool.ReadElf, "-h", "-S", "-s", "-n", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("_start", r.Stdout);
        Assert.Contains(Convert.ToHexStringLower(BuildId), r.Stdout);
        byte[] bytes = File.ReadAllBytes(output);
        Assert.True(ElfFile.TryRead(bytes, out ElfFile? reread, out var diagnostics), string.Join("\n", diagnostics));
        Assert.Empty(ReadElfComparer.Compare(output, reread));
        Assert.Equal(bytes, reread.Write());
    }

    [Fact]
    public void Write_RefusesValuesTooWideForElf32()
    {
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(Fixtures.Find("armv7-linux-gnueabihf.elf")), out ElfFile? file, out _));
        file.Header.Entry = 1UL << 40;
        Assert.Contains(file.Verify(), d => d.Code == ElfDiagnosticCode.ValueTooWide && d.Field == "e_entry");
        Assert.Throws<InvalidOperationException>(() => file.Write());
    }

    [Fact]
    public void Write_GrowingASection_MovesItAndKeepsTheRestInPlace()
    {
        string path = Fixtures.Find("riscv64-linux-gnu.elf");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(ElfFile.TryRead(bytes, out ElfFile? file, out _));
        var comment = Assert.IsType<ElfRawSection>(file.FindSection(".comment"));
        ulong oldOffset = comment.Offset;
        comment.Data = comment.Data.Concat(new byte[100]).ToArray();
        string output = WriteTemp(file, "grown.elf");
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(output), out ElfFile? reread, out var diagnostics), string.Join("\n", diagnostics));
        Assert.NotEqual(oldOffset, reread.FindSection(".comment")!.Offset);
        Assert.Empty(ReadElfComparer.Compare(output, reread));
        // Loaded content stays where it was (only e_shoff in the header, inside the first PT_LOAD, changes).
        foreach (ElfSection s in reread.Sections.Where(s => s.IsAllocated && s.HasFileContent))
            Assert.Equal(bytes.AsSpan((int)s.Offset, (int)s.Size).ToArray(), s.GetContentBytes());
    }

    [Fact]
    public void AddSegment_ToAFileWithoutProgramHeaders_PutsTheTableAfterTheContent()
    {
        string path = Fixtures.Find("aarch64-linux-gnu.o");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(ElfFile.TryRead(bytes, out ElfFile? file, out _));
        Assert.Empty(file.Segments);
        ElfSection text = file.FindSection(".text")!;
        file.Segments.Add(new ElfSegment
        {
            Type = ElfSegmentType.Load,
            Flags = ElfSegmentFlags.Read | ElfSegmentFlags.Execute,
            Offset = text.Offset,
            FileSize = text.Size,
            MemorySize = text.Size,
            Alignment = 1,
        });
        string output = WriteTemp(file, "with-phdr.o");

        byte[] written = File.ReadAllBytes(output);
        Assert.True(ElfFile.TryRead(written, out ElfFile? reread, out var diagnostics), string.Join("\n", diagnostics));
        // The table lands on no section's bytes (a read overlap warning would say so), and every section keeps its place and bytes.
        Assert.DoesNotContain(diagnostics, d => d.Code == ElfDiagnosticCode.SectionOverlap);
        foreach (ElfSection s in reread.Sections.Where(s => s.HasFileContent && s.Size != 0))
            Assert.Equal(bytes.AsSpan((int)s.Offset, (int)s.Size).ToArray(), s.GetContentBytes());
        Assert.Equal(text.GetContentBytes(), reread.ReadSegmentBytes(Assert.Single(reread.Segments)));
        Assert.Empty(ReadElfComparer.Compare(output, reread));
    }

    [Fact]
    public void Write_AlignmentPast2To64_IsRefusedNotWrapped()
    {
        ElfFile file = ElfFile.Create(ElfClass.Elf64, ElfEncoding.LittleEndian, ElfFileType.Relocatable, ElfMachine.AArch64);
        file.AddSection(new ElfRawSection(".odd", ElfSectionType.ProgBits, new byte[] { 1, 2, 3 }) { Alignment = ulong.MaxValue });
        var e = Assert.Throws<InvalidOperationException>(() => file.Write());
        Assert.Contains("past 2^64", e.Message);
    }

    /// <summary>A segment's bytes past the ELF header (whose e_shoff moves when a section is added).</summary>
    private static byte[] LoadedBytesAfterHeader(ElfFile file, ElfSegment segment)
    {
        byte[] bytes = file.ReadSegmentBytes(segment);
        int skip = (int)Math.Min((ulong)bytes.Length, segment.Offset >= file.Header.HeaderSize ? 0 : file.Header.HeaderSize - segment.Offset);
        return bytes[skip..];
    }

    private static string[] RelocationSymbolNames(ElfFile file) =>
        file.Sections.OfType<ElfRelocationTable>()
            .SelectMany(t => t.Entries.Select(e => $"{t.Name}:{e.Offset:x}:{t.SymbolTable!.Symbols[(int)e.SymbolIndex].Name}:{e.Type}"))
            .ToArray();

    private static string WriteTemp(ElfFile file, string name)
    {
        string output = Path.Combine(Fixtures.Directory, name);
        File.WriteAllBytes(output, file.Write());
        return output;
    }
}
