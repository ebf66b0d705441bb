using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.Elf;
using GuestStub.Elf.Tests.TestSupport;
using GuestStub.Packager.Tests.TestSupport;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>
/// The ELF library on the project's own files from the real build: the packaged out/guest.elf and
/// ilc's obj/guest/guest.o agree with llvm-readelf-14's JSON and write back byte for byte.
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
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(path), out ElfFile? file, out var diagnostics), string.Join("; ", diagnostics));
        List<string> mismatches = ReadElfComparer.Compare(path, file);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(40)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void WritesBackByteForByte(string name)
    {
        byte[] bytes = File.ReadAllBytes(PathOf(name));
        Assert.True(ElfFile.TryRead(bytes, out ElfFile? file, out _));
        byte[] written = file.Write();
        Assert.Equal(bytes.Length, written.Length);
        Assert.True(written.AsSpan().SequenceEqual(bytes), $"{name} differs after a round trip");
    }

    [Fact]
    public void PackagedElf_VerifiesClean()
    {
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(RealBuild.GuestElf), out ElfFile? file, out _));
        Assert.DoesNotContain(file.Verify(), d => d.Severity == ElfSeverity.Error);
        Assert.Empty(BootChecks.Check(file, File.ReadAllBytes(RealBuild.GuestElf)));
    }

    /// <summary>
    /// The unwind tables may leave the load only because nothing at run time reads them: in ilc's
    /// object only .eh_frame (its LSDA pointers) and debug info refer to them.
    /// </summary>
    [Fact]
    public void NothingLoadedRefersToTheUnwindTables()
    {
        Assert.True(ElfFile.TryRead(File.ReadAllBytes(RealBuild.IlcObject), out ElfFile? obj, out _));
        var unwind = new HashSet<int>(UnloadedSections.Names.Select(n => obj.FindSection(n)).Where(s => s is not null).Select(s => s!.Index));
        Assert.NotEmpty(unwind);
        ElfSymbolTable symbols = obj.SymbolTable!;
        foreach (ElfRelocationTable table in obj.Sections.OfType<ElfRelocationTable>())
        {
            ElfSection target = obj.Sections[(int)table.Info];
            if (unwind.Contains(target.Index) || target.Name.StartsWith(".debug_", System.StringComparison.Ordinal))
                continue;
            foreach (ElfRelocation r in table.Entries)
            {
                ElfSymbol s = symbols.Symbols[(int)r.SymbolIndex];
                Assert.False(unwind.Contains(s.SectionIndex), $"{table.Name} refers to '{s.Name}' in an unwind table: it is read at run time and must stay loaded");
            }
        }
    }
}
