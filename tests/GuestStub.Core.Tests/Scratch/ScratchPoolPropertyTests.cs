using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Scratch;
using Xunit;

namespace GuestStub.Tests.Scratch;

/// <summary>
/// Random region sets and random allocate/free sequences, checked against an independent,
/// obviously correct model: a page may be handed out only if it lies inside one of the regions
/// as given, that region overlaps nothing occupied, and the page is inside the clamp; the set of
/// pages in use is a HashSet. Sizes are in blocks of a quarter chunk so regions, holes and
/// occupied ranges cut chunks in every way.
/// </summary>
public class ScratchPoolPropertyTests
{
    private const ulong Page = GuestStub.Memory.PageSize.Bytes;

    public sealed record Scenario(
        int ChunkShift, (int Gap, int Length)[] Regions, bool SwapTwo, (int Start, int Length)[] Ram,
        (int Start, int Length)[] Reserved, (int Start, int Length) Grant, int ClampBlocks, int MaxChunks,
        (int Kind, int Count, int Pick)[] Ops)
    {
        public ulong Block => (1UL << ChunkShift) / 4;

        public PhysicalRange Blocks(int start, int length) =>
            PhysicalRange.TryCreate((ulong)start * Block, (ulong)length * Block, out PhysicalRange r) ? r : default;

        public List<PhysicalRange> RegionRanges()
        {
            var list = new List<PhysicalRange>();
            int at = 0;
            foreach ((int gap, int length) in Regions)
            {
                at += gap;
                list.Add(Blocks(at, length));
                at += length;
            }
            if (SwapTwo && list.Count >= 2)
                (list[0], list[^1]) = (list[^1], list[0]);
            return list;
        }

        public List<PhysicalRange> Occupied() =>
            Ram.Concat(Reserved).Append(Grant).Select(r => Blocks(r.Start, r.Length)).Where(r => !r.IsEmpty).ToList();

        public PhysicalRange Clamp => Blocks(0, ClampBlocks);
    }

    private static readonly Gen<(int, int)> Span = Gen.Select(Gen.Int[0, 400], Gen.Int[1, 12]);

    private static readonly Gen<Scenario> Scenarios =
        from chunkShift in Gen.Int[0, 2].Select(i => new[] { 18, 20, 25 }[i])
        from regions in Gen.Select(Gen.Int[0, 12], Gen.Int[1, 40]).Array[1, 8]
        from swap in Gen.Int[0, 9].Select(i => i == 0)
        from ram in Span.Array[0, 3]
        from reserved in Span.Array[0, 3]
        from grant in Span
        from clamp in Gen.Int[40, 500]
        from maxChunks in Gen.Int[1, 12]
        from ops in Gen.Select(Gen.Int[0, 5], Gen.Int[1, 70], Gen.Int[0, 1000]).Array[1, 40]
        select new Scenario(chunkShift, regions, swap, ram, reserved, grant, clamp, maxChunks, ops);

    /// <summary>The model of where a scratch page may lie, from the inputs alone.</summary>
    private static bool Allowed(Scenario s, ulong address)
    {
        if (address % Page != 0 || !PhysicalRange.TryCreate(address, Page, out PhysicalRange page) || !s.Clamp.Covers(page))
            return false;
        List<PhysicalRange> occupied = s.Occupied();
        return s.RegionRanges().Any(r => r.Covers(page) && !occupied.Any(o => o.Overlaps(r)));
    }

    private static bool Ordered(List<PhysicalRange> regions)
    {
        for (int i = 1; i < regions.Count; i++)
            if (regions[i].Start < regions[i - 1].End) return false;
        return true;
    }

    [Fact]
    public void Pages_are_always_allowed_never_shared_and_all_come_back()
    {
        Scenarios.Sample(Run, iter: 150, threads: 1);
    }

    private static void Run(Scenario s)
    {
        List<PhysicalRange> regions = s.RegionRanges();
        PhysicalRangeList hypervisor = default;
        hypervisor.TryAdd(s.Blocks(s.Grant.Start, s.Grant.Length));
        foreach (PhysicalRange r in regions)
            hypervisor.TryAdd(r);
        var occupied = new OccupiedSpace();
        foreach ((int start, int length) in s.Ram) occupied.Ram.TryAdd(s.Blocks(start, length));
        foreach ((int start, int length) in s.Reserved) occupied.Reserved.TryAdd(s.Blocks(start, length));
        ExtendedRegionSet.Register(hypervisor, occupied, s.Clamp, out ExtendedRegionSet set);

        // Set-level verdict from the model: disorder/overlap means the balloon.
        if (!Ordered(regions))
            Assert.False(set.HasResource);

        TestBalloon balloon = TestBalloon.Create();
        ulong chunkSize = 1UL << s.ChunkShift;
        var metadata = new ulong[ScratchPageLayout.MetadataWords(chunkSize, s.MaxChunks)];
        Assert.Equal(ScratchStatus.Ok, ScratchPagePool<TestBalloon>.Create(set, metadata, chunkSize, balloon, out ScratchPagePool<TestBalloon> pool));
        Assert.Equal(!set.HasResource, pool.IsBallooned);

        var used = new HashSet<ulong>();
        var freed = new List<ulong>();
        ulong foreign = 0xdead00000000;
        foreach ((int kind, int count, int pick) in s.Ops)
        {
            switch (kind)
            {
                case 0:
                case 1:
                {
                    var pages = new ulong[count];
                    ScratchStatus status = pool.Allocate(pages);
                    if (status != ScratchStatus.Ok)
                    {
                        Assert.True(status is ScratchStatus.NoSpace or ScratchStatus.MetadataFull, status.ToString());
                        break;
                    }
                    foreach (ulong p in pages)
                    {
                        Assert.True(used.Add(p), $"page 0x{p:x} handed out twice");
                        if (!pool.IsBallooned)
                            Assert.True(Allowed(s, p), $"page 0x{p:x} is not in an allowed extended region");
                    }
                    break;
                }
                case 2:
                {
                    ulong[] batch = used.OrderBy(p => (p * 0x9E3779B97F4A7C15UL) ^ (ulong)pick).Take(count).ToArray();
                    Assert.Equal(ScratchStatus.Ok, pool.Free(batch));
                    foreach (ulong p in batch) { used.Remove(p); freed.Add(p); }
                    break;
                }
                case 3:
                    if (freed.Count > 0)
                    {
                        ulong p = freed[pick % freed.Count];
                        if (!used.Contains(p))
                            Assert.Equal(ScratchStatus.DoubleFree, pool.FreePage(p));
                    }
                    break;
                case 4:
                    Assert.Equal(ScratchStatus.NotScratchPage, pool.FreePage(foreign + (ulong)pick * Page));
                    if (!pool.IsBallooned)
                        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreePage(s.Blocks(s.Grant.Start, 1).Start + 1));
                    break;
                case 5:
                    if (used.Count > 0 && !pool.IsBallooned)
                    {
                        // A batch naming one page twice fails as a whole and changes nothing.
                        ulong p = used.ElementAt(pick % used.Count);
                        ulong before = pool.FreePageCount;
                        Assert.Equal(ScratchStatus.DoubleFree, pool.Free(new[] { p, p }));
                        Assert.Equal(before, pool.FreePageCount);
                    }
                    break;
            }
            Assert.Equal((ulong)used.Count, pool.UsedPageCount);
            if (!pool.IsBallooned)
                Assert.Equal((ulong)pool.ChunkCount * (ulong)pool.Layout.PagesPerChunk, pool.FreePageCount + pool.UsedPageCount);
        }

        // Every page comes back.
        Assert.Equal(ScratchStatus.Ok, pool.Free(used.ToArray()));
        Assert.Equal(0UL, pool.UsedPageCount);
        if (pool.IsBallooned)
        {
            Assert.Empty(pool.Balloon.S.Taken);
            return;
        }
        // And the pool hands out exactly its chunks' pages again, each once.
        var all = new ulong[pool.FreePageCount];
        Assert.Equal(ScratchStatus.Ok, pool.Allocate(all));
        var expected = new HashSet<ulong>();
        for (int c = 0; c < pool.ChunkCount; c++)
            for (ulong a = pool.Chunk(c).Start; a < pool.Chunk(c).End; a += Page)
                expected.Add(a);
        Assert.Equal(expected.Count, all.Length);
        Assert.True(expected.SetEquals(all));
        Assert.All(all, p => Assert.True(Allowed(s, p)));
    }
}
