using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using GuestStub.Packager.Tests.TestSupport;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>
/// LibObjectFile, through ElfInput, on the project's own files from the real build: the packaged
/// out/guest.elf, ilc's obj/guest/guest.o and the linked ELF agree with llvm-readelf-14's JSON.
/// </summary>
public sealed class RealBuildElfTests
{
    public static TheoryData<string> Files => new() { "out/guest.elf", "obj/guest/guest.o", "obj/guest/guest.linked.elf" };

    private static string PathOf(string name) => name switch
    {
        "out/guest.elf" => RealBuild.GuestElf,
        "obj/guest/guest.o" => RealBuild.IlcObject,
        _ => RealBuild.LinkedElf,
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void MatchesLlvmReadelf(string name)
    {
        string path = PathOf(name);
        ElfInputResult input = ElfInput.Read(File.ReadAllBytes(path));
        Assert.True(input.File is not null, string.Join("; ", input.Errors));
        ElfFile file = input.File!;
        List<string> mismatches = ReadElfComparer.Compare(path, file);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(40)));
    }

    /// <summary>LibObjectFile writes the packaged and the linked file back byte for byte (the packager relies on it).</summary>
    [Theory]
    [InlineData("out/guest.elf")]
    [InlineData("obj/guest/guest.linked.elf")]
    public void WritesBackByteForByte(string name)
    {
        byte[] bytes = File.ReadAllBytes(PathOf(name));
        byte[] written = ElfInput.Read(bytes).File!.ToBytes();
        Assert.Equal(bytes.Length, written.Length);
        Assert.True(written.AsSpan().SequenceEqual(bytes), $"{name} differs after a round trip");
    }

    [Fact]
    public void PackagedElf_VerifiesClean()
    {
        byte[] bytes = File.ReadAllBytes(RealBuild.GuestElf);
        ElfFile file = ElfInput.Read(bytes).File!;
        Assert.False(file.Verify().HasErrors);
        Assert.Empty(BootChecks.Check(file, bytes));
    }

    /// <summary>
    /// The unwind tables may leave the load only because nothing at run time reads them: in ilc's
    /// object only .eh_frame (its LSDA pointers) and debug info refer to them.
    /// </summary>
    [Fact]
    public void NothingLoadedRefersToTheUnwindTables()
    {
        ElfFile obj = ElfInput.Read(File.ReadAllBytes(RealBuild.IlcObject)).File!;
        var unwind = new HashSet<int>(UnloadedSections.Names.Select(n => obj.FindSection(n)).Where(s => s is not null).Select(s => s!.SectionIndex));
        Assert.NotEmpty(unwind);
        ElfSymbolTable symbols = obj.SymbolTable()!;
        foreach (ElfRelocationTable table in obj.Sections.OfType<ElfRelocationTable>())
        {
            ElfSection target = table.Info.Section!;
            if (unwind.Contains(target.SectionIndex) || target.Name.Value!.StartsWith(".debug_", System.StringComparison.Ordinal))
                continue;
            foreach (ElfRelocation r in table.Entries)
            {
                ElfSymbol s = symbols.Entries[(int)r.SymbolIndex];
                int section = s.SectionLink.Section?.SectionIndex ?? -1;
                Assert.False(unwind.Contains(section), $"{table.Name.Value} refers to '{s.Name.Value}' in an unwind table: it is read at run time and must stay loaded");
            }
        }
    }
}
