using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.DeviceTree;
using GuestStub.Vectors;
using GuestStub.Vectors.Generator;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// The test image (out/guest-tests.img, tests/GuestStub.GuestTests), booted bare and as dom0 under
/// Xen 4.17: it must run exactly the vectors the host suite runs (every file of tests/vectors, the
/// same count and checksum per file) and pass them all; a deliberately wrong vector must fail in
/// it; and its benchmarks under -icount shift=0 must repeat and meet their target.
/// </summary>
public class GuestTestImageBootTests
{
    private sealed record VectorFileInfo(string Name, int Count, uint Checksum);

    /// <summary>What the host suite runs: every vector file, read with the same reader.</summary>
    private static List<VectorFileInfo> HostFiles() =>
        Directory.GetFiles(RepoPaths.Vectors, "*.vec").Order(StringComparer.Ordinal).Select(path =>
        {
            byte[] bytes = File.ReadAllBytes(path);
            VectorFileStatus status = VectorFile.Open(bytes, out VectorFile file);
            Assert.True(status.IsOk, $"{path}: {status.Error} at {status.Offset}");
            return new VectorFileInfo(Path.GetFileName(path), file.Count, file.Checksum);
        }).ToList();

    /// <summary>The test image, with <paramref name="extraVectors"/> loaded at 0x50000000 by QEMU's loader device.</summary>
    private static BootShape Tests(string bootargs = "", bool icount = false, string? extraVectors = null) => new()
    {
        Tests = true,
        Append = bootargs,
        Icount = icount,
        Files = extraVectors is null ? Array.Empty<LoadedFile>() : new[] { new LoadedFile(extraVectors, 0x50000000) },
        // Every vector file and, under -icount, benchmarks of tens of millions of instructions: a
        // few seconds on an idle machine; the bound leaves room for a machine shared with others
        // (a boot that hangs still ends, named, within it).
        Timeout = TimeSpan.FromSeconds(icount ? 300 : 180),
    };

    private static readonly Regex FileLine = new(@"^guest-tests: (\S+): (\d+) vectors, checksum 0x([0-9a-f]+)$");
    private static readonly Regex Summary = new(@"^guest-tests: (\d+) passed, (\d+) failed$");

    /// <summary>The image powered off by itself, named every file with the host's count and
    /// checksum, and counted <paramref name="passed"/> passes and <paramref name="failed"/> failures.</summary>
    private static void AssertRan(BootRun run, int passed, int failed, params VectorFileInfo[] extraFiles)
    {
        run.AssertPoweredOff();
        var ran = run.GuestLines().Select(l => FileLine.Match(l)).Where(m => m.Success)
            .Select(m => new VectorFileInfo(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                uint.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(HostFiles().Concat(extraFiles), ran);
        Match[] summaries = run.GuestLines().Select(l => Summary.Match(l)).Where(m => m.Success).ToArray();
        Assert.True(summaries.Length == 1, "expected one 'guest-tests: N passed, F failed' line\n" + run.Describe());
        Assert.Equal((passed, failed), (int.Parse(summaries[0].Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(summaries[0].Groups[2].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(failed, run.GuestLines().Count(l => l.StartsWith("guest-tests: FAIL ", StringComparison.Ordinal)));
    }

    private static int HostCount => HostFiles().Sum(f => f.Count);

    [Fact]
    public void Bare_it_passes_exactly_the_vectors_the_host_runs()
    {
        BootRun run = Boots.Bare(Tests());
        AssertRan(run, HostCount, 0);
        Assert.Contains("  Xen: not detected (no hypervisor node): running bare", run.GuestLines());
    }

    [Fact]
    public void As_dom0_under_Xen_it_passes_exactly_the_vectors_the_host_runs()
    {
        BootRun run = Boots.XenDom0(Tests());
        AssertRan(run, HostCount, 0);
        Assert.Contains("  Xen: detected (hypervisor node, xen,xen-4.17)", run.GuestLines());
        Assert.Contains("Hardware Dom0 halted: halting machine", run.XenLines);
    }

    /// <summary>Three vectors loaded at 0x50000000 with QEMU's loader device: a right one, a
    /// malformed-DTB vector whose expected offset is wrong by 4 and a region set whose expected
    /// hole is wrong by a byte. The guest must fail exactly the two wrong ones, each with a line
    /// naming what differs, and still pass everything else.</summary>
    [Fact]
    public void A_deliberately_wrong_vector_fails_in_the_guest()
    {
        byte[] badMagic = BlobOf("dtb-malformed.vec", "bad magic");
        var file = new VectorFileWriter();
        void BadMagic(string name, ulong offset) => file.Add(VectorSuite.DtbMalformed, name)
            .Bytes(VectorTag.Blob, badMagic).U64(VectorTag.BlobStart, 0).U64(VectorTag.BlobLength, (ulong)badMagic.Length)
            .U64(VectorTag.Error, (ulong)DtbError.BadMagic).U64(VectorTag.Offset, offset).End();
        BadMagic("bad magic, right", 0);
        BadMagic("bad magic, offset deliberately wrong", 4);
        RegionCase regions = RegionCase.Of(ExtendedRegionSuite.Below(1UL << 39), default, (0x40000000, 0x50000000), (0x60000000, 0x70000000));
        string expected = ExtendedRegionModel.Register(regions).Render(regions.Probes);
        Assert.Contains("hole 0x50000000-0x60000000\n", expected);
        regions.Fields(file.Add(VectorSuite.ExtendedRegions, "two regions, hole deliberately wrong"))
            .Text(VectorTag.Expected, expected.Replace("hole 0x50000000-0x60000000", "hole 0x50000000-0x60000001", StringComparison.Ordinal)).End();
        byte[] bytes = file.Build();
        Assert.True(VectorFile.Open(bytes, out VectorFile extra).IsOk);
        string path = Path.Combine(RepoPaths.TempDirectory("wrong-vector"), "wrong.vec");
        File.WriteAllBytes(path, bytes);

        BootRun run = Boots.Bare(Tests("guest-tests.extra=0x50000000",
            extraVectors: path));
        AssertRan(run, HostCount + 1, 2, new VectorFileInfo("extra", 3, extra.Checksum));
        Assert.Contains("guest-tests: FAIL dtb.malformed \"bad magic, offset deliberately wrong\": " +
            "expected bad magic (not a DTB) at byte offset 0x4, got bad magic (not a DTB) at byte offset 0x0", run.GuestLines());
        Assert.Contains("guest-tests: FAIL ext.regions \"two regions, hole deliberately wrong\": " +
            "line 3: expected \"hole 0x50000000-0x60000001\" got \"hole 0x50000000-0x60000000\"", run.GuestLines());
    }

    /// <summary>A vector file the guest's reader must refuse whole (its checksum is off) counts
    /// as one failure, named, and nothing of it runs.</summary>
    [Fact]
    public void A_damaged_vector_file_is_refused_whole()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, "report-lines.vec"));
        bytes[^1] ^= 1;
        string path = Path.Combine(RepoPaths.TempDirectory("damaged-vector"), "damaged.vec");
        File.WriteAllBytes(path, bytes);
        BootRun run = Boots.Bare(Tests("guest-tests.extra=0x50000000",
            extraVectors: path));
        AssertRan(run, HostCount, 1);
        Assert.Contains("guest-tests: FAIL file extra: checksum mismatch at byte offset 0x14", run.GuestLines());
    }

    private static byte[] BlobOf(string fileName, string vector)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, fileName));
        Assert.True(VectorFile.Open(bytes, out VectorFile file).IsOk);
        int position = 0;
        while (file.TryGetNext(ref position, out VectorRecord record))
        {
            if (System.Text.Encoding.ASCII.GetString(record.Name) == vector && record.TryGetBytes(VectorTag.Blob, out ReadOnlySpan<byte> blob))
                return blob.ToArray();
        }
        throw new Xunit.Sdk.XunitException($"{fileName} has no vector \"{vector}\" with a blob");
    }

    /// <summary>Every "report bench.KEY VALUE" line, as the launcher reads them.</summary>
    private static IReadOnlyDictionary<string, string> BenchFigures(BootRun run)
    {
        Assert.True(run.Outcome.End != BootEnd.TimedOut, "QEMU did not exit by itself\n" + run.Describe());
        Assert.DoesNotContain(run.GuestLines(), l => l.StartsWith("guest-bench: FAIL", StringComparison.Ordinal));
        Assert.Empty(run.Domain(0).Report.Problems);
        IReadOnlyDictionary<string, string> figures = GuestStub.Launch.Bench.GuestBench.Figures(run.Domain(0).Report);
        Assert.True(figures.Count >= 20, "no benchmark figures\n" + run.Describe());
        return figures;
    }

    /// <summary>Under -icount shift=0 as dom0 under Xen, two boots give the same figures within
    /// 0.1% (the few instructions Xen's timer adds are all that differs); GuestStub's validate +
    /// walk costs at most libfdt's on both trees; both walks agree.</summary>
    [Fact]
    public void Benchmarks_under_icount_repeat_within_a_thousandth_and_GuestStub_is_within_libfdt()
    {
        IReadOnlyDictionary<string, string> first = BenchFigures(Boots.XenDom0(Tests("guest-tests.bench", icount: true)));
        IReadOnlyDictionary<string, string> second = BenchFigures(Boots.XenDom0(Tests("guest-tests.bench", icount: true)));
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        foreach ((string key, string value) in first)
        {
            if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal a))
            {
                Assert.Equal(value, second[key]);
                continue;
            }
            decimal b = decimal.Parse(second[key], CultureInfo.InvariantCulture);
            decimal larger = Math.Max(a, b);
            Assert.True(larger == 0 || Math.Abs(a - b) / larger <= 0.001m, $"{key}: {a} then {b}");
        }
        foreach (string tree in new[] { "xen-dom0", "generated-4k" })
        {
            Assert.Equal("equal", first[$"bench.dtb.{tree}.checksums"]);
            decimal ratio = decimal.Parse(first[$"bench.dtb.{tree}.ratio"], CultureInfo.InvariantCulture);
            Assert.True(ratio <= 1.0m, $"{tree}: GuestStub at {ratio}x libfdt's instructions");
        }
    }

    /// <summary>Bare (no Xen, no interrupt), the calibration loop's 2^24 instructions take 2^20
    /// counter ticks give or take one: the counter ticks once per 16 instructions.</summary>
    [Fact]
    public void Bare_under_icount_the_counter_ticks_once_per_16_instructions()
    {
        IReadOnlyDictionary<string, string> figures = BenchFigures(Boots.Bare(Tests("guest-tests.bench", icount: true)));
        Assert.Equal("62500000", figures["bench.counter_hz"]);
        ulong instructions = ulong.Parse(figures["bench.calibration.instructions"], CultureInfo.InvariantCulture);
        ulong ticks = ulong.Parse(figures["bench.calibration.ticks"], CultureInfo.InvariantCulture);
        Assert.InRange(ticks, instructions / 16, instructions / 16 + 1);
    }
}
