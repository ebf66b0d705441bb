using System.Collections.Generic;
using System.Linq;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// tests/vectors/scratch-sequences.vec: seeded sequences of scratch-pool operations over region
/// sets (Xen's dom0 layout, the worked example, small chunks that run out of metadata or of
/// space, random sets), each with the counts and the checksum of every page handed out that
/// <see cref="ScratchSequenceModel"/> gives; the sequences with a <c>max-run</c> also take and
/// give back runs of contiguous pages, across chunks and up against the holes.
/// </summary>
public static class ScratchSequenceSuite
{
    public const string FileName = "scratch-sequences.vec";

    private sealed record Setup(string Name, RegionCase Regions, int ChunkShift, int MaxChunks, ulong Seed, int Operations, int MaxBatch, int MaxHeld,
        ulong MaxRun = 0);

    private static IEnumerable<Setup> Setups()
    {
        RegionCase dom0 = ExtendedRegionSuite.FixedCases().Single(c => c.Name.StartsWith("Xen 4.17 dom0")).Case;
        RegionCase worked = RegionCase.Of(ExtendedRegionSuite.Below(1UL << 48), ExtendedRegionSuite.WorkedGrant, ExtendedRegionSuite.WorkedRegions);
        yield return new("dom0 layout, 128 MiB chunks, long sequence", dom0, 27, 8, 1, 2000, 64, 2048);
        yield return new("dom0 layout, 128 MiB chunks, one chunk of metadata", dom0, 27, 1, 2, 1500, 64, 2048);
        yield return new("dom0 layout, 1 MiB chunks, metadata runs out", dom0, 20, 6, 3, 1500, 48, 2048);
        yield return new("dom0 layout, 256 KiB chunks, many chunks", dom0, 18, 200, 4, 2000, 64, 1024);
        yield return new("worked example, 32 MiB chunks around the holes", worked, 25, 31, 5, 2000, 64, 2048);
        // A resource of two 1 MiB regions around a hole: space runs out before metadata.
        yield return new("two small regions, space runs out",
            RegionCase.Of(ExtendedRegionSuite.Below(1UL << 39), default, (0x40000000, 0x40100000), (0x40200000, 0x40300000)), 18, 16, 6, 1500, 32, 1024);
        // Runs: a whole 256 MiB domain's worth and more (across 128 MiB chunks, up to the RAM hole),
        // runs of a few small chunks that exhaust the metadata or the space, runs that cannot
        // cross a hole between two regions.
        yield return new("dom0 layout, 128 MiB chunks, runs up to two chunks and more", dom0, 27, 8, 11, 1200, 64, 2048, 70_000);
        yield return new("dom0 layout, 1 MiB chunks, runs across chunks, metadata runs out", dom0, 20, 6, 12, 1500, 48, 2048, 600);
        yield return new("dom0 layout, 256 KiB chunks, runs across many chunks", dom0, 18, 200, 13, 2000, 64, 1024, 300);
        yield return new("worked example, 32 MiB chunks, runs around the holes", worked, 25, 31, 14, 1500, 64, 2048, 20_000);
        yield return new("two small regions, runs cannot cross the hole",
            RegionCase.Of(ExtendedRegionSuite.Below(1UL << 39), default, (0x40000000, 0x40100000), (0x40200000, 0x40300000)), 18, 16, 15, 1500, 32, 1024, 160);
        foreach ((string name, RegionCase c) in ExtendedRegionSuite.RandomCases())
        {
            ExtendedRegionModel m = ExtendedRegionModel.Register(c);
            if (!m.HasResource)
                continue;
            int n = int.Parse(name.Split(' ')[^1]);
            int shift = new[] { 18, 20, 21, 22 }[n % 4];
            yield return new($"{name}, {(1 << shift) >> 10} KiB chunks", c, shift, 4 + n % 24, 100 + (ulong)n, 800, 1 + n % 64, 256 + 64 * (n % 16));
            if (n % 4 == 0)
                yield return new($"{name}, {(1 << shift) >> 10} KiB chunks, with runs", c, shift, 4 + n % 24, 200 + (ulong)n, 800, 1 + n % 64,
                    256 + 64 * (n % 16), (ulong)(1 + n % 3) << (shift - 12));
        }
    }

    public static byte[] Build()
    {
        var file = new VectorFileWriter();
        foreach (Setup s in Setups())
        {
            ExtendedRegionModel regions = ExtendedRegionModel.Register(s.Regions);
            string expected = ScratchSequenceModel.Run(regions, s.ChunkShift, s.MaxChunks, s.Seed, s.Operations, s.MaxBatch, s.MaxHeld, s.MaxRun);
            var fields = s.Regions.Fields(file.Add(VectorSuite.ScratchSequence, s.Name))
                .U64(VectorTag.ChunkShift, (ulong)s.ChunkShift)
                .U64(VectorTag.MaxChunks, (ulong)s.MaxChunks)
                .U64(VectorTag.Seed, s.Seed)
                .U64(VectorTag.Operations, (ulong)s.Operations)
                .U64(VectorTag.MaxBatch, (ulong)s.MaxBatch)
                .U64(VectorTag.MaxHeld, (ulong)s.MaxHeld);
            // Only the sequences with runs carry the field: the others are the files' as before.
            if (s.MaxRun > 0)
                fields = fields.U64(VectorTag.MaxRun, s.MaxRun);
            fields.Text(VectorTag.Expected, expected).End();
        }
        return file.Build();
    }
}
