using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// Writes every vector file into tests/vectors, or with <c>--check</c> compares them with what is
/// there and exits 1 naming the files that differ (the Core tests run that check, so a change to
/// a case or a model without regenerating fails the suite).
/// </summary>
public static class Program
{
    /// <summary>Each file and how to build it, in the order the guest runs them.</summary>
    public static IReadOnlyList<(string FileName, Func<byte[]> Build)> Files { get; } = new (string, Func<byte[]>)[]
    {
        (MalformedDtbSuite.FileName, MalformedDtbSuite.Build),
        (BootFactsSuite.FileName, BootFactsSuite.Build),
        (ExtendedRegionSuite.FileName, ExtendedRegionSuite.Build),
        (ScratchSequenceSuite.FileName, ScratchSequenceSuite.Build),
        (ReportLineSuite.FileName, ReportLineSuite.Build),
        (RuntimePrimitiveSuite.FileName, RuntimePrimitiveSuite.Build),
    };

    public static int Main(string[] args)
    {
        bool check = args.Contains("--check");
        string[] rest = args.Where(a => a != "--check").ToArray();
        if (rest.Length > 1 || rest.Any(a => a.StartsWith('-')))
        {
            Console.Error.WriteLine("usage: GuestStub.Vectors.Generator [--check] [DIRECTORY]   (default: tests/vectors)");
            return 2;
        }
        string directory = rest.Length == 1 ? rest[0] : Path.Combine(Dtc.RepoRoot(), "tests", "vectors");
        Directory.CreateDirectory(directory);
        int stale = 0;
        foreach ((string name, Func<byte[]> build) in Files)
        {
            string path = Path.Combine(directory, name);
            byte[] bytes = build();
            if (check)
            {
                if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
                {
                    Console.Error.WriteLine($"{path}: differs from what the generator writes: run dotnet run --project tests/GuestStub.Vectors.Generator");
                    stale++;
                }
                continue;
            }
            File.WriteAllBytes(path, bytes);
            Console.WriteLine($"{path}: {bytes.Length} bytes");
        }
        return stale == 0 ? 0 : 1;
    }
}
