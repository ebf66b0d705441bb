using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using GuestStub.Elf.Tests.TestSupport;
using Xunit;

namespace GuestStub.Elf.Tests;

/// <summary>Our reading of header, sections, segments and symbols agrees with llvm-readelf-14 on real files.</summary>
public sealed class DifferentialTests
{
    [Fact]
    public void Corpus_IsLargeAndCoversClassesAndByteOrders()
    {
        IReadOnlyList<string> all = Corpus.All;
        Assert.True(Corpus.SystemFiles.Count >= 200, $"only {Corpus.SystemFiles.Count} system ELF files found");
        var kinds = new HashSet<(ElfClass, ElfEncoding)>();
        foreach (string path in all)
            if (ElfFile.TryRead(File.ReadAllBytes(path), out ElfFile? f, out _))
                kinds.Add((f.Header.Class, f.Header.Encoding));
        Assert.Contains((ElfClass.Elf64, ElfEncoding.LittleEndian), kinds);
        Assert.Contains((ElfClass.Elf64, ElfEncoding.BigEndian), kinds);
        Assert.Contains((ElfClass.Elf32, ElfEncoding.LittleEndian), kinds);
        Assert.Contains((ElfClass.Elf32, ElfEncoding.BigEndian), kinds);
    }

    [Fact]
    public void EveryCorpusFile_IsAcceptedAndMatchesLlvmReadelf()
    {
        var problems = new ConcurrentBag<string>();
        Parallel.ForEach(Corpus.All, new ParallelOptions { MaxDegreeOfParallelism = 8 }, path =>
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (!ElfFile.TryRead(bytes, out ElfFile? file, out IReadOnlyList<ElfDiagnostic> diagnostics))
            {
                problems.Add($"{path}: rejected: {string.Join("; ", diagnostics.Where(d => d.Severity == ElfSeverity.Error))}");
                return;
            }
            foreach (string m in ReadElfComparer.Compare(path, file))
                problems.Add(m);
        });
        Assert.True(problems.IsEmpty, $"{problems.Count} problems:\n" + string.Join("\n", problems.OrderBy(p => p).Take(40)));
    }

    [Fact]
    public void CrossBuiltFixtures_MatchLlvmReadelf()
    {
        // Also covered by the corpus test; kept separate so a fixture regression names itself.
        foreach (string path in Fixtures.Files)
        {
            Assert.True(ElfFile.TryRead(File.ReadAllBytes(path), out ElfFile? file, out var diagnostics), $"{path}: {string.Join("; ", diagnostics)}");
            List<string> mismatches = ReadElfComparer.Compare(path, file);
            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(20)));
        }
    }
}
