using System;
using GuestStub.Report;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Scratch;
using GuestStub.Tests.ExtendedRegions;
using Xunit;
using static GuestStub.Tests.ExtendedRegions.Ranges;

namespace GuestStub.Tests.Scratch;

public class ScratchPagePoolTests
{
    private const ulong Page = GuestStub.Memory.PageSize.Bytes;

    /// <summary>Xen's dom0 with -m 1G, dom0_mem=128M (PLATFORM.md).</summary>
    private static ExtendedRegionSet Dom0Regions()
    {
        PhysicalRangeList hypervisor = List(R(0x40200000, 0x40240000), R(0x40400000, 0x70000000), R(0x78000000, 0x80000000));
        var occupied = new OccupiedSpace { Ram = List(R(0x70000000, 0x78000000)) };
        ExtendedRegionSet.Register(hypervisor, occupied, AddressableRange.BelowLimit(1UL << 39), out ExtendedRegionSet set);
        Assert.Equal(ExtendedRegionStatus.Ok, set.Status);
        return set;
    }

    private static ScratchPagePool<TestBalloon> Pool(in ExtendedRegionSet set, int chunks, ulong chunkSize = ScratchPageLayout.DefaultChunkSizeBytes, TestBalloon balloon = default)
    {
        var metadata = new ulong[ScratchPageLayout.MetadataWords(chunkSize, chunks)];
        Assert.Equal(ScratchStatus.Ok, ScratchPagePool<TestBalloon>.Create(set, metadata, chunkSize, balloon, out ScratchPagePool<TestBalloon> pool));
        return pool;
    }

    [Fact]
    public void The_bench_times_every_allocation_and_returns_every_page()
    {
        ExtendedRegionSet set = Dom0Regions();
        ScratchPagePool<TestBalloon> pool = Pool(set, 8);
        var clock = new CountingTicks();
        ScratchBenchResult result = ScratchBench.Time(ref pool, ref clock, new ulong[4096]);
        Assert.Equal(ScratchStatus.Ok, result.Status);
        Assert.Equal((ulong)(ScratchBench.Rounds * 4096), result.Operations);
        // Each read of the counter moves it one tick: three reads per round.
        Assert.Equal((ulong)ScratchBench.Rounds, result.AllocTicks);
        Assert.Equal((ulong)ScratchBench.Rounds, result.FreeTicks);
        Assert.Equal(0UL, pool.UsedPageCount);
        // Filled once, up front, then every page back: the pool fills whole chunks, so the 4096
        // pages came from one 128 MiB chunk, all of whose pages are free again.
        Assert.Equal(1, pool.ChunkCount);
        Assert.Equal(ScratchPageLayout.DefaultChunkSizeBytes / Page, pool.FreePageCount);
    }

    /// <summary>A counter that advances one tick per read.</summary>
    private struct CountingTicks : GuestStub.Platform.ITickSource
    {
        private ulong _now;

        public ulong ReadTicks() => _now++;

        public readonly ulong TicksPerSecond() => 1_000_000_000;
    }

    [Fact]
    public void Dom0_fills_128_MiB_chunks_first_fit_around_the_RAM_hole()
    {
        ExtendedRegionSet set = Dom0Regions();
        ScratchPagePool<TestBalloon> pool = Pool(set, 8);
        Assert.Equal(ScratchStatus.Ok, pool.Fill(6 * 32768));
        // 0x40400000 is not 128 MiB aligned: the first chunk is 0x48000000; 0x70000000 is the hole.
        Assert.Equal(R(0x48000000, 0x50000000), pool.Chunk(0));
        Assert.Equal(R(0x50000000, 0x58000000), pool.Chunk(1));
        Assert.Equal(R(0x58000000, 0x60000000), pool.Chunk(2));
        Assert.Equal(R(0x60000000, 0x68000000), pool.Chunk(3));
        Assert.Equal(R(0x68000000, 0x70000000), pool.Chunk(4));
        Assert.Equal(R(0x78000000, 0x80000000), pool.Chunk(5));
        Assert.Equal(ScratchStatus.NoSpace, pool.Fill(1));
        Assert.Equal(6 * 32768UL, pool.FreePageCount);

        var sink = new ReportSink();
        Span<ulong> pages = stackalloc ulong[3];
        Assert.Equal(ScratchStatus.Ok, pool.Allocate(pages));
        ScratchReport.PoolLines(ref sink, ScratchPoolStage.Describe(pool));
        Assert.Equal(
            "report scratch.chunk 0x48000000-0x50000000\n" +
            "report scratch.chunk 0x50000000-0x58000000\n" +
            "report scratch.chunk 0x58000000-0x60000000\n" +
            "report scratch.chunk 0x60000000-0x68000000\n" +
            "report scratch.chunk 0x68000000-0x70000000\n" +
            "report scratch.chunk 0x78000000-0x80000000\n" +
            "report scratch.pages.free 196605\n" +
            "report scratch.pages.used 3\n",
            sink.ToString());
    }

    [Fact]
    public void Allocate_fills_on_demand_and_hands_out_ascending_pages()
    {
        ExtendedRegionSet set = Dom0Regions();
        ScratchPagePool<TestBalloon> pool = Pool(set, 2);
        Assert.Equal(0, pool.ChunkCount);
        Assert.Equal(ScratchStatus.Ok, pool.AllocatePage(out ulong first));
        Assert.Equal(ScratchStatus.Ok, pool.AllocatePage(out ulong second));
        Assert.Equal((0x48000000UL, 0x48001000UL), (first, second));
        Assert.Equal(1, pool.ChunkCount);
        Assert.Equal((32766UL, 2UL), (pool.FreePageCount, pool.UsedPageCount));
    }

    [Fact]
    public void Double_free_and_foreign_pages_are_refused()
    {
        ExtendedRegionSet set = Dom0Regions();
        ScratchPagePool<TestBalloon> pool = Pool(set, 2);
        Assert.Equal(ScratchStatus.Ok, pool.AllocatePage(out ulong page));
        Assert.Equal(ScratchStatus.Ok, pool.FreePage(page));
        Assert.Equal(ScratchStatus.DoubleFree, pool.FreePage(page));
        Assert.Equal(ScratchStatus.DoubleFree, pool.FreePage(page + Page)); // in a chunk, never handed out
        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreePage(page + 8));
        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreePage(0x70000000)); // RAM
        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreePage(0x40400000)); // extended region, but no chunk
        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreePage(0x50000000)); // just past the chunk
        Assert.True(pool.IsScratchPage(page));
        Assert.False(pool.IsScratchPage(0x70000000));
        Assert.Equal((32768UL, 0UL), (pool.FreePageCount, pool.UsedPageCount));
    }

    [Fact]
    public void A_failed_batch_free_changes_nothing()
    {
        ExtendedRegionSet set = Dom0Regions();
        ScratchPagePool<TestBalloon> pool = Pool(set, 1, 1UL << 18);
        Span<ulong> pages = stackalloc ulong[64];
        Assert.Equal(ScratchStatus.Ok, pool.Allocate(pages));
        Assert.Equal(0UL, pool.FreePageCount);
        ulong[] batch = { pages[0], pages[5], pages[0] };
        Assert.Equal(ScratchStatus.DoubleFree, pool.Free(batch));
        Assert.Equal((0UL, 64UL), (pool.FreePageCount, pool.UsedPageCount));
        // The chunk is full again: a new page needs a second chunk, which the span cannot hold.
        Assert.Equal(ScratchStatus.MetadataFull, pool.Allocate(pages.Slice(0, 1)));
    }

    [Fact]
    public void Metadata_span_bounds_the_chunks()
    {
        ExtendedRegionSet set = Dom0Regions();
        ScratchPagePool<TestBalloon> pool = Pool(set, 1, 1UL << 18);
        Assert.Equal(1, pool.ChunkCapacity);
        Assert.Equal(ScratchStatus.Ok, pool.Fill(64));
        Assert.Equal(ScratchStatus.MetadataFull, pool.Fill(1));
        Span<ulong> pages = stackalloc ulong[65];
        Assert.Equal(ScratchStatus.MetadataFull, pool.Allocate(pages));
        Assert.Equal(0UL, pool.UsedPageCount);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL << 17)]
    [InlineData(3UL << 20)]
    [InlineData(2UL << 30)]
    public void Bad_chunk_sizes(ulong chunkSize)
    {
        ExtendedRegionSet set = Dom0Regions();
        Assert.Equal(ScratchStatus.BadChunkSize, ScratchPagePool<TestBalloon>.Create(set, new ulong[1024], chunkSize, default, out _));
    }

    [Fact]
    public void Metadata_is_one_bit_per_page_plus_a_chunk_header()
    {
        Assert.True(ScratchPageLayout.TryCreate(ScratchPageLayout.DefaultChunkSizeBytes, out ScratchPageLayout layout));
        Assert.Equal(32768, layout.PagesPerChunk);
        Assert.Equal(512, layout.WordsPerChunk);
        Assert.Equal((64, 8), (layout.GroupCount, layout.GroupWords));
        Assert.Equal(512 + 3, layout.StrideWords);
    }

    [Fact]
    public void Without_a_target_resource_pages_come_from_the_balloon()
    {
        PhysicalRangeList hypervisor = List(R(0x38000000, 0x39000000), R(0x60000000, 0x70000000), R(0x40000000, 0x50000000));
        ExtendedRegionSet.Register(hypervisor, default, AddressableRange.BelowLimit(1UL << 39), out ExtendedRegionSet set);
        Assert.Equal(ExtendedRegionStatus.Disorder, set.Status);
        TestBalloon balloon = TestBalloon.Create(limit: 4);
        ScratchPagePool<TestBalloon> pool = Pool(set, 0, balloon: balloon);
        Assert.True(pool.IsBallooned);

        Span<ulong> pages = stackalloc ulong[3];
        Assert.Equal(ScratchStatus.Ok, pool.Allocate(pages));
        Assert.Equal(new ulong[] { 0x40000000, 0x40001000, 0x40002000 }, pages.ToArray());
        Assert.Equal(3UL, pool.UsedPageCount);
        Assert.Equal(0, pool.ChunkCount);

        // Too many: all or nothing, the ones taken go back.
        Assert.Equal(ScratchStatus.BalloonEmpty, pool.Allocate(stackalloc ulong[2]));
        Assert.Equal(3, balloon.S.Taken.Count);
        Assert.Equal(3UL, pool.UsedPageCount);

        Assert.Equal(ScratchStatus.Ok, pool.FreePage(pages[1]));
        Assert.Equal(ScratchStatus.DoubleFree, pool.FreePage(pages[1]));
        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreePage(0x90000000));
        Assert.Equal(2UL, pool.UsedPageCount);

        var sink = new ReportSink();
        ScratchReport.PoolLines(ref sink, ScratchPoolStage.Describe(pool));
        Assert.Equal("report scratch.pages.free 0\nreport scratch.pages.used 2\n", sink.ToString());
    }
}
