using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using LibObjectFile.Elf;
using Xunit;

namespace GuestStub.ElfInputChecks.Tests;

/// <summary>
/// Seeded, bounded fuzzing: corrupt headers, tables and content of the corpus files. Reading
/// never throws (LibObjectFile alone threw, ran out of memory or looped on about one in seven of
/// these); a rejected file always carries an error naming a field; an accepted file verifies
/// without throwing; the CLI never crashes on it and exits 1 exactly when the file is rejected.
/// </summary>
public sealed class MutationTests
{
    private const int Seed = 0x6e1f;
    private const int FileCount = 30;
    private const int MutantsPerFile = 120;

    [Fact]
    public void MutatedFiles_NeverCrash_AndRejectionsAreExplained()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        int rejected = 0, accepted = 0;
        IReadOnlyList<string> files = Fixtures.Files.OrderBy(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal).Take(FileCount).ToList();
        string scratch = Path.Combine(Fixtures.Directory, "mutant.elf");
        int cliRuns = 0;
        foreach (string path in files)
        {
            byte[] original = File.ReadAllBytes(path);
            for (int m = 0; m < MutantsPerFile; m++)
            {
                (byte[] bytes, string how) = Mutate(original, random);
                string label = $"{Path.GetFileName(path)} mutant {m} ({how})";
                try
                {
                    ElfInputResult result = ElfInput.Read(bytes);
                    bool ok = result.File is not null;
                    foreach (ElfFieldError e in result.Errors)
                        if (e.Field.Length == 0 || e.Message.Length == 0)
                            failures.Add($"{label}: error without field or message: {e}");
                    if (!ok)
                    {
                        rejected++;
                        if (result.Errors.Count == 0)
                            failures.Add($"{label}: rejected without an error");
                    }
                    else
                    {
                        accepted++;
                        result.File!.Verify();
                    }
                    if (m % 12 == 0)
                    {
                        cliRuns++;
                        File.WriteAllBytes(scratch, bytes);
                        var stdout = new StringWriter();
                        var stderr = new StringWriter();
                        int exit = GuestStub.Cli.Program.Run(new[] { "elf", scratch }, stdout, stderr);
                        if (exit != (ok ? 0 : 1))
                            failures.Add($"{label}: CLI exited {exit} for a file that was {(ok ? "accepted" : "rejected")}");
                        if (stderr.ToString().Contains("   at ", StringComparison.Ordinal))
                            failures.Add($"{label}: CLI printed a stack trace");
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"{label}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures (accepted {accepted}, rejected {rejected}):\n" + string.Join("\n", failures.Take(15)));
        Assert.True(rejected > 100 && accepted > 100, $"mutation mix is degenerate: accepted {accepted}, rejected {rejected}");
        Assert.True(cliRuns > 50);
    }

    private static (byte[] Bytes, string How) Mutate(byte[] original, Random random)
    {
        byte[] b = (byte[])original.Clone();
        bool is64 = b.Length > 4 && b[4] == 2;
        int headerSize = is64 ? 64 : 52;
        int strategy = random.Next(7);
        switch (strategy)
        {
            case 0:
            {
                int at = random.Next(Math.Min(headerSize, b.Length));
                b[at] = (byte)random.Next(256);
                return (b, $"header byte 0x{at:x}");
            }
            case 1:
            case 2:
            {
                // Inside the section header table (1) or the program header table (2), when present.
                ulong table = ReadWord(b, is64, strategy == 1 ? (is64 ? 0x28 : 0x20) : (is64 ? 0x20 : 0x1c));
                if (table == 0 || table >= (ulong)b.Length)
                    goto default;
                int at = (int)table + random.Next((int)Math.Min(1024, (ulong)b.Length - table));
                int count = 1 + random.Next(8);
                byte value = random.Next(3) switch { 0 => 0xff, 1 => 0, _ => (byte)random.Next(256) };
                for (int i = 0; i < count && at + i < b.Length; i++)
                    b[at + i] = random.Next(2) == 0 ? value : (byte)random.Next(256);
                return (b, $"{(strategy == 1 ? "section" : "program")} table bytes at 0x{at:x}");
            }
            case 3:
            {
                int length = random.Next(b.Length);
                return (b.AsSpan(0, length).ToArray(), $"truncated to 0x{length:x}");
            }
            case 4:
            {
                // An extreme 32-bit value at an aligned spot in the first 4 KiB (headers, tables, symbols).
                int at = random.Next(Math.Max(1, Math.Min(b.Length, 4096) / 4)) * 4;
                uint value = random.Next(5) switch { 0 => 0xffffffff, 1 => 0x7fffffff, 2 => 0x80000000, 3 => (uint)b.Length, _ => (uint)b.Length + 1 };
                for (int i = 0; i < 4 && at + i < b.Length; i++)
                    b[at + i] = (byte)(value >> (8 * i));
                return (b, $"word 0x{value:x} at 0x{at:x}");
            }
            default:
            {
                int flips = 1 + random.Next(4);
                for (int i = 0; i < flips; i++)
                    b[random.Next(b.Length)] ^= (byte)(1 << random.Next(8));
                return (b, $"{flips} bit flips");
            }
        }
    }

    private static ulong ReadWord(byte[] b, bool is64, int at)
    {
        if (b.Length < at + (is64 ? 8 : 4) || b.Length < 6)
            return 0;
        bool big = b[5] == 2;
        ulong v = 0;
        int n = is64 ? 8 : 4;
        for (int i = 0; i < n; i++)
            v |= (ulong)b[at + (big ? n - 1 - i : i)] << (8 * i);
        return v;
    }
}
