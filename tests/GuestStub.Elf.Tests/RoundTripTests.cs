using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using GuestStub.Elf.Tests.TestSupport;
using Xunit;

namespace GuestStub.Elf.Tests;

/// <summary>Read then write, unmodified, gives back the same bytes: gaps, padding and unknown sections included.</summary>
public sealed class RoundTripTests
{
    [Fact]
    public void EveryCorpusFile_WritesBackByteForByte()
    {
        var problems = new ConcurrentBag<string>();
        Parallel.ForEach(Corpus.All, path =>
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (!ElfFile.TryRead(bytes, out ElfFile? file, out _))
            {
                problems.Add($"{path}: rejected");
                return;
            }
            byte[] written = file.Write();
            if (!written.AsSpan().SequenceEqual(bytes))
                problems.Add($"{path}: differs (length {bytes.Length} -> {written.Length}, first difference at 0x{FirstDifference(bytes, written):x})");
            else if (!file.Write().AsSpan().SequenceEqual(bytes))
                problems.Add($"{path}: a second write differs");
        });
        Assert.True(problems.IsEmpty, string.Join("\n", problems.OrderBy(p => p).Take(40)));
    }

    [Fact]
    public void TypedSectionsReencodeTheirOwnBytes()
    {
        foreach (string path in Fixtures.Files)
        {
            byte[] bytes = File.ReadAllBytes(path);
            Assert.True(ElfFile.TryRead(bytes, out ElfFile? file, out _));
            foreach (ElfSection s in file.Sections)
            {
                if (!s.HasFileContent)
                    continue;
                Assert.True(s.GetContentBytes().AsSpan().SequenceEqual(bytes.AsSpan((int)s.Offset, (int)s.Size)), $"{path}: section {s.Index} '{s.Name}'");
            }
            Assert.NotNull(file.SymbolTable);
            if (file.Header.Type == ElfFileType.Relocatable)
                Assert.Contains(file.Sections, s => s is ElfRelocationTable);
        }
    }

    internal static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
            if (a[i] != b[i])
                return i;
        return n;
    }
}
