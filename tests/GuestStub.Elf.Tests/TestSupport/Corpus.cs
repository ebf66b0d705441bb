using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GuestStub.Elf.Tests.TestSupport;

/// <summary>
/// ELF files found on the machine, picked deterministically: every ELF regular file (not symlink) up
/// to a size bound under /usr/bin, /usr/lib (three levels), gcc's crt objects and QEMU's firmware
/// (big-endian ELF32/ELF64 for PowerPC, SPARC, S/390, PA-RISC), sorted by path and thinned to an
/// evenly spaced sample so the differential test stays within its time budget.
/// </summary>
internal static class Corpus
{
    private const long MaxFileBytes = 2L << 20;
    private const int PerRoot = 125;

    private static readonly (string Root, int Depth)[] Roots =
    {
        ("/usr/bin", 1),
        ("/usr/lib", 3),
        ("/usr/lib/gcc/x86_64-linux-gnu/12", 1),
        ("/usr/share/qemu", 1),
    };

    private static readonly Lazy<IReadOnlyList<string>> s_system = new(FindSystemFiles);

    /// <summary>System ELF files (a few hundred).</summary>
    public static IReadOnlyList<string> SystemFiles => s_system.Value;

    /// <summary>System files plus the cross-built fixtures.</summary>
    public static IReadOnlyList<string> All => SystemFiles.Concat(Fixtures.Files).ToList();

    /// <summary>The smallest files of <see cref="All"/>, for the mutation run.</summary>
    public static IReadOnlyList<string> Small(int count) =>
        All.OrderBy(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal).Take(count).ToList();

    private static IReadOnlyList<string> FindSystemFiles()
    {
        var result = new List<string>();
        foreach ((string root, int depth) in Roots)
        {
            if (!Directory.Exists(root))
                continue;
            var found = new List<string>();
            Walk(root, depth, found);
            found.Sort(StringComparer.Ordinal);
            int take = Math.Min(PerRoot, found.Count);
            for (int i = 0; i < take; i++)
                result.Add(found[(int)((long)i * found.Count / take)]);
        }
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    private static void Walk(string dir, int depth, List<string> found)
    {
        IEnumerable<string> files;
        try { files = Directory.EnumerateFiles(dir).ToList(); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { return; }
        foreach (string f in files)
            if (IsElfCandidate(f))
                found.Add(f);
        if (depth <= 1)
            return;
        IEnumerable<string> dirs;
        try { dirs = Directory.EnumerateDirectories(dir).ToList(); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { return; }
        foreach (string d in dirs)
            if (new DirectoryInfo(d).LinkTarget is null)
                Walk(d, depth - 1, found);
    }

    private static bool IsElfCandidate(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || info.Length < 16 || info.Length > MaxFileBytes)
                return false;
            Span<byte> magic = stackalloc byte[4];
            using FileStream s = File.OpenRead(path);
            return s.Read(magic) == 4 && magic[0] == 0x7f && magic[1] == (byte)'E' && magic[2] == (byte)'L' && magic[3] == (byte)'F';
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
