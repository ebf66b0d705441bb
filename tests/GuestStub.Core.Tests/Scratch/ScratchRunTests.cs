using System;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Scratch;
using Xunit;
using static GuestStub.Tests.ExtendedRegions.Ranges;

namespace GuestStub.Tests.Scratch;

/// <summary>
/// Runs of contiguous scratch pages (ScratchPagePool.Runs.cs): what a whole-domain foreign map
/// needs, one range of guest-physical space. The seeded sequences in
/// tests/vectors/scratch-sequences.vec check runs mixed with single pages against an
/// independent model; these tests pin the cases by hand, on Xen's dom0 layout.
/// </summary>
public class ScratchRunTests
{
    private const ulong Page = PageSize.Bytes;
    private const ulong PagesPerChunk = ScratchPageLayout.DefaultChunkSizeBytes / Page;

    /// <summary>Xen's dom0 with -m 1G, dom0_mem=128M: chunk slots 0x48000000..0x70000000 (five,
    /// adjacent), the RAM hole, then 0x78000000.</summary>
    private static ExtendedRegionSet Dom0Regions()
    {
        PhysicalRangeList hypervisor = List(R(0x40200000, 0x40240000), R(0x40400000, 0x70000000), R(0x78000000, 0x80000000));
        var occupied = new OccupiedSpace { Ram = List(R(0x70000000, 0x78000000)) };
        ExtendedRegionSet.Register(hypervisor, occupied, AddressableRange.BelowLimit(1UL << 39), out ExtendedRegionSet set);
        return set;
    }

    private static readonly ExtendedRegionSet s_dom0 = Dom0Regions();

    private static ScratchPagePool<TestBalloon> Pool(int chunks, ulong chunkSize = ScratchPageLayout.DefaultChunkSizeBytes)
    {
        var metadata = new ulong[ScratchPageLayout.MetadataWords(chunkSize, chunks)];
        Assert.Equal(ScratchStatus.Ok, ScratchPagePool<TestBalloon>.Create(s_dom0, metadata, chunkSize, default, out ScratchPagePool<TestBalloon> pool));
        return pool;
    }

    [Fact]
    public void A_whole_256_MiB_domain_gets_one_run_across_three_chunks_filled_for_it()
    {
        ScratchPagePool<TestBalloon> pool = Pool(8);
        // The boot's first chunk, with its self-test page taken.
        Assert.Equal(ScratchStatus.Ok, pool.AllocatePage(out ulong selfTest));
        Assert.Equal(0x48000000UL, selfTest);

        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(65536, out ulong start));
        // The lowest free page onwards: 32767 pages of the first chunk, all of the second, one of the third.
        Assert.Equal(0x48001000UL, start);
        Assert.Equal(3, pool.ChunkCount);
        Assert.Equal(R(0x58000000, 0x60000000), pool.Chunk(2));
        Assert.Equal((3 * PagesPerChunk - 65537, 65537UL), (pool.FreePageCount, pool.UsedPageCount));

        // Single pages come after the run: the third chunk's, from its second page.
        Assert.Equal(ScratchStatus.Ok, pool.AllocatePage(out ulong next));
        Assert.Equal(0x58001000UL, next);
        Assert.False(pool.IsScratchPage(start + 8));

        Assert.Equal(ScratchStatus.Ok, pool.FreeRun(start, 65536));
        Assert.Equal((3 * PagesPerChunk - 2, 2UL), (pool.FreePageCount, pool.UsedPageCount));
        // Given back whole: the same run again, without filling.
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(65536, out ulong again));
        Assert.Equal(start, again);
        Assert.Equal(3, pool.ChunkCount);
    }

    [Fact]
    public void A_run_never_crosses_the_RAM_hole_between_two_chunks()
    {
        ScratchPagePool<TestBalloon> pool = Pool(8);
        // Five adjacent chunks below the hole hold 5 x 32768 pages; one more page would need the
        // chunk above the hole, which is not adjacent: every slot is filled, none fits.
        Assert.Equal(ScratchStatus.NoSpace, pool.AllocateRun(5 * PagesPerChunk + 1, out ulong start));
        Assert.Equal(0UL, start);
        Assert.Equal(6, pool.ChunkCount);
        Assert.Equal((6 * PagesPerChunk, 0UL), (pool.FreePageCount, pool.UsedPageCount));

        // Exactly the five fits, at the lowest address; then the chunk above the hole serves a run too.
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(5 * PagesPerChunk, out start));
        Assert.Equal(0x48000000UL, start);
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(PagesPerChunk, out ulong above));
        Assert.Equal(0x78000000UL, above);
        Assert.Equal(ScratchStatus.NoSpace, pool.AllocateRun(1, out _));
    }

    [Fact]
    public void A_run_longer_than_the_metadata_can_hold_is_refused_before_filling()
    {
        ScratchPagePool<TestBalloon> pool = Pool(2);
        Assert.Equal(ScratchStatus.MetadataFull, pool.AllocateRun(2 * PagesPerChunk + 1, out _));
        Assert.Equal(0, pool.ChunkCount);
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(2 * PagesPerChunk, out ulong start));
        Assert.Equal(0x48000000UL, start);
        Assert.Equal(ScratchStatus.MetadataFull, pool.AllocateRun(1, out _));
    }

    [Fact]
    public void Runs_take_the_lowest_gap_that_fits_between_single_pages()
    {
        // 256 KiB chunks, 64 pages each: the first is at the region's start, 0x40400000.
        ScratchPagePool<TestBalloon> pool = Pool(4, 1UL << 18);
        Span<ulong> pages = stackalloc ulong[10];
        Assert.Equal(ScratchStatus.Ok, pool.Allocate(pages));
        ulong first = pool.Chunk(0).Start;
        Assert.Equal(0x40400000UL, first);
        Assert.Equal(ScratchStatus.Ok, pool.Free(pages.Slice(2, 3)));   // pages 2, 3, 4 free again
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(4, out ulong four));
        Assert.Equal(first + 10 * Page, four);
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(3, out ulong three));
        Assert.Equal(first + 2 * Page, three);
        // 50 pages are left in the chunk: a run of 60 takes its last 50 and 10 of the next,
        // filled for it and adjacent.
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(60, out ulong across));
        Assert.Equal(first + 14 * Page, across);
        Assert.Equal(2, pool.ChunkCount);
        Assert.Equal(first + 64 * Page, pool.Chunk(1).Start);
        Assert.Equal((2 * 64UL - 74, 74UL), (pool.FreePageCount, pool.UsedPageCount));
        // Single pages after it come from the second chunk, past the run.
        Assert.Equal(ScratchStatus.Ok, pool.AllocatePage(out ulong single));
        Assert.Equal(first + 74 * Page, single);
    }

    [Fact]
    public void A_bad_run_is_refused_whole_and_changes_nothing()
    {
        // Two adjacent chunks of 64 pages, both used: a run of 100 and one of 28.
        ScratchPagePool<TestBalloon> pool = Pool(2, 1UL << 18);
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(100, out ulong start));
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(28, out ulong rest));
        Assert.Equal(start + 100 * Page, rest);

        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreeRun(start + 8, 1));
        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreeRun(0x70000000, 1));
        // One page past the last chunk.
        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreeRun(start, 129));
        Assert.Equal((0UL, 128UL), (pool.FreePageCount, pool.UsedPageCount));

        // A free page in the range, whether it comes first or last.
        Assert.Equal(ScratchStatus.Ok, pool.FreeRun(rest, 28));
        Assert.Equal(ScratchStatus.DoubleFree, pool.FreeRun(start, 101));
        Assert.Equal(ScratchStatus.DoubleFree, pool.FreeRun(start + 127 * Page, 1));
        // And the first bad page answers: free (page 100) before past the chunks (page 128).
        Assert.Equal(ScratchStatus.DoubleFree, pool.FreeRun(start, 129));
        Assert.Equal((28UL, 100UL), (pool.FreePageCount, pool.UsedPageCount));

        Assert.Equal(ScratchStatus.Ok, pool.FreeRun(start, 100));
        Assert.Equal(ScratchStatus.DoubleFree, pool.FreeRun(start, 100));
        Assert.Equal(ScratchStatus.Ok, pool.FreeRun(start, 0));
        Assert.Equal((128UL, 0UL), (pool.FreePageCount, pool.UsedPageCount));
    }

    [Fact]
    public void Pages_freed_from_a_run_are_handed_out_one_by_one_again()
    {
        ScratchPagePool<TestBalloon> pool = Pool(1, 1UL << 18);
        Assert.Equal(ScratchStatus.Ok, pool.AllocateRun(64, out ulong start));
        Assert.Equal(ScratchStatus.MetadataFull, pool.AllocatePage(out _));
        // Part of a run back: the chunk, full but still on the list (taking a run leaves the list
        // alone), serves those pages and leaves the list when they are gone.
        Assert.Equal(ScratchStatus.Ok, pool.FreeRun(start + 20 * Page, 2));
        Assert.Equal(ScratchStatus.Ok, pool.AllocatePage(out ulong a));
        Assert.Equal(ScratchStatus.Ok, pool.AllocatePage(out ulong b));
        Assert.Equal((start + 20 * Page, start + 21 * Page), (a, b));
        Assert.Equal(ScratchStatus.MetadataFull, pool.AllocatePage(out _));
    }

    [Fact]
    public void The_ballooned_fallback_has_no_runs()
    {
        ScratchPagePool<TestBalloon>.CreateBallooned(TestBalloon.Create(), out ScratchPagePool<TestBalloon> pool);
        Assert.Equal(ScratchStatus.NoSpace, pool.AllocateRun(2, out ulong start));
        Assert.Equal(0UL, start);
        Assert.Equal(ScratchStatus.NotScratchPage, pool.FreeRun(0x40000000, 2));
        Assert.Equal(0UL, pool.UsedPageCount);
    }
}
