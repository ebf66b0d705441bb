using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Cli;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using Xunit;

namespace GuestStub.ElfInputChecks.Tests;

/// <summary>
/// What <c>gueststub elf</c> prints, read back, against what llvm-readelf-14 prints for the same
/// file (<c>-S -W</c>, <c>-l -W</c>), on the whole corpus and on the project's own out/guest.elf
/// and ilc's obj/guest/guest.o: every section header's name, type,
/// address, offset, size, entry size, flags, link, info and alignment, and every program header's
/// type, offsets, addresses, sizes, flags and alignment. DifferentialTests checks LibObjectFile's
/// model; this checks the text users read, which could drift from the model on its own. Column
/// widths differ (readelf pads offsets to 6 digits, the command to 8) and so may a long name
/// (GNU readelf's "[...]" truncation): values are compared, not bytes.
/// </summary>
public sealed class ElfCommandDifferentialTests
{
    [Fact]
    public void Section_headers_read_as_llvm_readelf_reads_them()
    {
        var problems = new List<string>();
        var flags = new HashSet<string>();
        var types = new HashSet<string>();
        foreach (string path in Files())
        {
            List<SectionRow> printed = SectionRows(Command(path));
            flags.UnionWith(printed.Select(r => r.Flags));
            types.UnionWith(printed.Select(r => r.Type));
            List<SectionRow> readelf = SectionRows(Tool.RunChecked(Tool.ReadElf, "-S", "-W", path));
            if (readelf.Count == 0 || readelf.Count != printed.Count)
            {
                problems.Add($"{Path.GetFileName(path)}: {printed.Count} sections printed, llvm-readelf {readelf.Count}");
                continue;
            }
            for (int i = 0; i < readelf.Count; i++)
                if (!printed[i].SameAs(readelf[i]))
                    problems.Add($"{Path.GetFileName(path)} section {i}:\n  gueststub elf: {printed[i]}\n  llvm-readelf:  {readelf[i]}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        // The corpus's flag and type objects (Fixtures.FlagObjects) were among them: processor
        // bits hiding E, OS and unknown bits, GNU retain, OS nonconforming, x86-64 large, ARM
        // pure code, and a type from each range.
        Assert.Superset(new HashSet<string> { "Ap", "AE", "Ao", "AR", "Ax", "AO", "WAl", "AXy" }, flags);
        Assert.Superset(new HashSet<string> { "LOOS+0x123", "LOPROC+0x123", "LOUSER+0x1", "0x5000: <unknown>" }, types);
    }

    [Fact]
    public void Program_headers_read_as_llvm_readelf_reads_them()
    {
        var problems = new List<string>();
        int segments = 0;
        foreach (string path in Files())
        {
            List<SegmentRow> printed = SegmentRows(Command(path));
            List<SegmentRow> readelf = SegmentRows(Tool.RunChecked(Tool.ReadElf, "-l", "-W", path));
            segments += readelf.Count;
            if (!printed.SequenceEqual(readelf))
                problems.Add($"{Path.GetFileName(path)}:\n  gueststub elf: {string.Join("; ", printed)}\n  llvm-readelf:  {string.Join("; ", readelf)}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        Assert.True(segments > 0, "no program headers in the corpus: the comparison proved nothing");
    }

    /// <summary>The corpus, then the real build's guest ELF and ilc's object (./build.sh test
    /// builds them before it runs the tests).</summary>
    private static IEnumerable<string> Files()
    {
        foreach (string path in Fixtures.Files)
            yield return path;
        string root = GuestStub.Tests.Shared.RepoRoot.Location;
        foreach (string built in new[] { Path.Combine(root, "out", "guest.elf"), Path.Combine(root, "obj", "guest", "guest.o") })
        {
            Assert.True(File.Exists(built), $"{built} is missing: run ./build.sh build first");
            yield return built;
        }
    }

    private static string Command(string path)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Program.Run(new[] { "elf", path }, stdout, stderr);
        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        return stdout.ToString();
    }

    /// <summary>One row of "Section Headers:". <see cref="Name"/> may end in "[...]" when cut.</summary>
    private sealed record SectionRow(int Index, string Name, string Type, ulong Address, ulong Offset, ulong Size,
        ulong EntrySize, string Flags, uint Link, uint Info, ulong Align)
    {
        public bool SameAs(SectionRow other) =>
            this with { Name = "" } == other with { Name = "" } && SameName(Name, other.Name);

        private static bool SameName(string a, string b)
        {
            const string Cut = "[...]";
            if (a.EndsWith(Cut, StringComparison.Ordinal))
                return b.StartsWith(a[..^Cut.Length], StringComparison.Ordinal);
            if (b.EndsWith(Cut, StringComparison.Ordinal))
                return a.StartsWith(b[..^Cut.Length], StringComparison.Ordinal);
            return a == b;
        }
    }

    // "  [ 3] .rel.text  REL  00000000 0001d4 000040 08   I 14   2  4": the name (no spaces; empty
    // for section 0), the type (which may have spaces: "SYMTAB SECTION INDICES", "0x5000:
    // <unknown>"), Address, Off, Size, ES, the flags (none for many sections), Lk, Inf, Al. A row
    // that does not parse fails the test: it would otherwise drop out of the comparison.
    private static readonly Regex SectionLine = new(
        @"^\s*\[\s*(?<nr>\d+)\]\s+(?<name>\S*)\s+(?<type>.+?)\s+(?<addr>[0-9a-f]+)\s+(?<off>[0-9a-f]+)\s+(?<size>[0-9a-f]+)\s+(?<es>[0-9a-f]+)\s+(?<flg>[A-Za-z]*)\s+(?<lk>\d+)\s+(?<inf>\d+)\s+(?<al>\d+)\s*$");

    private static List<SectionRow> SectionRows(string text)
    {
        var rows = new List<SectionRow>();
        foreach (string line in Section(text, "Section Headers:"))
        {
            if (!line.TrimStart().StartsWith('[') || line.Contains("[Nr]", StringComparison.Ordinal))
                continue;
            Match m = SectionLine.Match(line);
            Assert.True(m.Success, "a section row that does not parse: " + line);
            rows.Add(new SectionRow(int.Parse(m.Groups["nr"].Value, CultureInfo.InvariantCulture), m.Groups["name"].Value.Trim(),
                m.Groups["type"].Value, Hex(m.Groups["addr"].Value), Hex(m.Groups["off"].Value), Hex(m.Groups["size"].Value),
                Hex(m.Groups["es"].Value), m.Groups["flg"].Value, uint.Parse(m.Groups["lk"].Value, CultureInfo.InvariantCulture),
                uint.Parse(m.Groups["inf"].Value, CultureInfo.InvariantCulture), ulong.Parse(m.Groups["al"].Value, CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    /// <summary>One row of "Program Headers:".</summary>
    private sealed record SegmentRow(string Type, ulong Offset, ulong VirtualAddress, ulong PhysicalAddress, ulong FileSize,
        ulong MemorySize, string Flags, ulong Align);

    // "  LOAD  0x000000 0x0000000000200000 0x0000000000200000 0x0001b4 0x0001b4 R   0x10000":
    // the flags are "R", "R E", "RW", "RWE"... with spaces for the missing ones.
    private static readonly Regex SegmentLine = new(
        @"^\s+(?<type>.+?)\s+0x(?<off>[0-9a-f]+)\s+0x(?<va>[0-9a-f]+)\s+0x(?<pa>[0-9a-f]+)\s+0x(?<fs>[0-9a-f]+)\s+0x(?<ms>[0-9a-f]+)\s+(?<flg>[RWE ]*?)\s*0x(?<al>[0-9a-f]+)\s*$");

    private static List<SegmentRow> SegmentRows(string text)
    {
        var rows = new List<SegmentRow>();
        foreach (string line in Section(text, "Program Headers:"))
        {
            if (line.TrimStart().StartsWith("Type ", StringComparison.Ordinal) || line.TrimStart().StartsWith('['))
                continue;    // the column titles; readelf's "[Requesting program interpreter: ...]"
            Match m = SegmentLine.Match(line);
            Assert.True(m.Success, "a program header row that does not parse: " + line);
            rows.Add(new SegmentRow(m.Groups["type"].Value, Hex(m.Groups["off"].Value), Hex(m.Groups["va"].Value),
                Hex(m.Groups["pa"].Value), Hex(m.Groups["fs"].Value), Hex(m.Groups["ms"].Value),
                m.Groups["flg"].Value.Replace(" ", "", StringComparison.Ordinal), Hex(m.Groups["al"].Value)));
        }
        return rows;
    }

    /// <summary>The lines after <paramref name="title"/> up to the next blank line.</summary>
    private static IEnumerable<string> Section(string text, string title)
    {
        string[] lines = text.Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimEnd('\r').Trim() == title);
        if (start < 0)
            yield break;
        for (int i = start + 1; i < lines.Length && lines[i].Trim().Length > 0; i++)
            yield return lines[i].TrimEnd('\r');
    }

    private static ulong Hex(string digits) => ulong.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
