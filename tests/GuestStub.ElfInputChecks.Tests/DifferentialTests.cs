using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using LibObjectFile.Elf;
using Xunit;

namespace GuestStub.ElfInputChecks.Tests;

/// <summary>
/// LibObjectFile's reading of header, sections, segments and symbols, through <see cref="ElfInput"/>,
/// agrees with llvm-readelf-14 on a corpus the tests build themselves (<see cref="Fixtures"/>).
/// </summary>
public sealed class DifferentialTests
{
    [Fact]
    public void Corpus_CoversClassesByteOrdersMachinesAndFileTypes()
    {
        var kinds = new HashSet<(ElfFileClass, ElfEncoding)>();
        var types = new HashSet<ElfFileType>();
        var machines = new HashSet<ushort>();
        foreach (string path in Fixtures.Files)
        {
            ElfFile file = Read(path);
            kinds.Add((file.FileClass, file.Encoding));
            types.Add(file.FileType);
            machines.Add((ushort)file.Arch.Value);
        }
        Assert.Contains((ElfFileClass.Is64, ElfEncoding.Lsb), kinds);
        Assert.Contains((ElfFileClass.Is64, ElfEncoding.Msb), kinds);
        Assert.Contains((ElfFileClass.Is32, ElfEncoding.Lsb), kinds);
        Assert.Contains((ElfFileClass.Is32, ElfEncoding.Msb), kinds);
        Assert.Equal(new[] { ElfFileType.Relocatable, ElfFileType.Executable, ElfFileType.Dynamic }.OrderBy(t => t), types.OrderBy(t => t));
        Assert.True(machines.Count >= 8, $"only {machines.Count} machines");
    }

    [Fact]
    public void EveryCorpusFile_IsAcceptedAndMatchesLlvmReadelf()
    {
        var problems = new ConcurrentBag<string>();
        Parallel.ForEach(Fixtures.Files, new ParallelOptions { MaxDegreeOfParallelism = 4 }, path =>
        {
            ElfInputResult result = ElfInput.Read(File.ReadAllBytes(path));
            if (result.File is not { } file)
            {
                problems.Add($"{path}: rejected: {string.Join("; ", result.Errors)}");
                return;
            }
            foreach (string m in ReadElfComparer.Compare(path, file))
                problems.Add(m);
        });
        Assert.True(problems.IsEmpty, $"{problems.Count} problems:\n" + string.Join("\n", problems.OrderBy(p => p).Take(40)));
    }

    internal static ElfFile Read(string path)
    {
        ElfInputResult result = ElfInput.Read(File.ReadAllBytes(path));
        Assert.True(result.File is not null, $"{path}: {string.Join("; ", result.Errors)}");
        return result.File!;
    }
}
