using System;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;

namespace GuestStub.Scratch;

/// <summary>What opening the scratch pool gave: where pages come from, the chunks filled, the
/// metadata's RAM, the page taken for the self-test, and the failure, if any.</summary>
public readonly struct ScratchPoolResult
{
    /// <summary>The stage ran (Xen was set up).</summary>
    public readonly bool Ran;
    /// <summary>gueststub.scratch=ballooned turned a usable target resource down.</summary>
    public readonly bool Forced;
    /// <summary>Pages come from the balloon (no target resource, or forced).</summary>
    public readonly bool Ballooned;
    /// <summary>The metadata's RAM run (empty in the fallback or when it could not be had).</summary>
    public readonly PhysicalRange Metadata;
    /// <summary>How many chunks the metadata can describe.</summary>
    public readonly int ChunkCapacity;
    /// <summary>The chunks filled, in fill order (also address order).</summary>
    public readonly PhysicalRangeList Chunks;
    public readonly ulong FreePages;
    public readonly ulong UsedPages;
    /// <summary>The scratch page taken for the self-test; 0 when none.</summary>
    public readonly ulong SelfTestPage;
    public readonly ScratchFailure Failure;

    public ScratchPoolResult(bool forced, bool ballooned, PhysicalRange metadata, int chunkCapacity, in PhysicalRangeList chunks,
        ulong freePages, ulong usedPages, ulong selfTestPage, ScratchFailure failure)
    {
        Ran = true;
        Forced = forced;
        Ballooned = ballooned;
        Metadata = metadata;
        ChunkCapacity = chunkCapacity;
        Chunks = chunks;
        FreePages = freePages;
        UsedPages = usedPages;
        SelfTestPage = selfTestPage;
        Failure = failure;
    }
}

/// <summary>What closing the pool left behind (nothing, when the books balance).</summary>
public readonly struct ScratchTeardownResult
{
    public readonly bool Ran;
    /// <summary>Giving back the self-test page (a retry), ballooned pages and metadata.</summary>
    public readonly ScratchFailure Failure;
    /// <summary>A scratch page still held (0 once it is back): Xen still maps a grant there, or
    /// the balloon could not repopulate it.</summary>
    public readonly ulong PageStillHeld;
    /// <summary>Ballooned pages still out after teardown (0 when the books balance).</summary>
    public readonly int PagesStillBallooned;

    public ScratchTeardownResult(ScratchFailure failure, ulong pageStillHeld, int pagesStillBallooned)
    {
        Ran = true;
        Failure = failure;
        PageStillHeld = pageStillHeld;
        PagesStillBallooned = pagesStillBallooned;
    }
}

/// <summary>
/// The scratch-pool stage of the boot (Linux's unpopulated-alloc.c over the target resource of
/// arch_xen_unpopulated_init): <see cref="Open"/> creates the pool over the extended regions'
/// resource, or over ballooned RAM pages (<see cref="XenBalloon{THc}"/>) when there is none,
/// fills one chunk and takes the self-test's page; <see cref="Close"/> gives everything back:
/// the self-test page if still out (unless Xen still maps a grant there), ballooned pages
/// (repopulated, through the pool), the metadata pages. The pool is a ref struct over metadata in
/// the stub's own RAM; the pipeline owns it, so later stages can take pages from it.
/// </summary>
public static unsafe class ScratchPoolStage
{
    /// <summary>Linux's arm64 section, the unit fill_list rounds to.</summary>
    public const ulong ChunkSizeBytes = ScratchPageLayout.DefaultChunkSizeBytes;

    /// <summary>Chunks the metadata run can describe: 8 x 128 MiB = 1 GiB of scratch space
    /// in 9 pages (1 bit per page plus 24 bytes per chunk).</summary>
    public const int MetadataChunks = 8;

    /// <summary>Pages of the stub's RAM the metadata of <see cref="MetadataChunks"/> chunks takes.</summary>
    public static uint MetadataPages =>
        (uint)(((ulong)ScratchPageLayout.MetadataWords(ChunkSizeBytes, MetadataChunks) * sizeof(ulong) + PageSize.OffsetMask) >> PageSize.Shift);

    public static ScratchPoolResult Open<TMem, TBalloon>(ref TMem mem, ref RamPageAllocator pages, in ExtendedRegionSet regions,
        in BootOptions options, TBalloon balloon, out ScratchPagePool<TBalloon> pool)
        where TMem : struct, IGuestMemory where TBalloon : struct, IBalloonSource, allows ref struct
    {
        bool forced = options.ForceScratchBallooned && regions.HasResource;
        bool ballooned = forced || !regions.HasResource;
        ScratchFailure failure = ScratchFailure.None;
        PhysicalRange metadataRange = default;
        if (ballooned)
        {
            ScratchPagePool<TBalloon>.CreateBallooned(balloon, out pool);
        }
        else
        {
            // Metadata: whole pages of the stub's RAM, Normal memory from the start.
            Span<ulong> metadata = default;
            uint wanted = MetadataPages;
            if (!pages.TryAllocate(wanted, out ulong metadataGfn))
            {
                failure = ScratchFailure.FromXen(XenFailure.Stub(XenFailureCause.OutOfPages));
            }
            else
            {
                PhysicalRange.TryCreate(metadataGfn << PageSize.Shift, (ulong)wanted << PageSize.Shift, out metadataRange);
                byte* first = mem.Page(metadataGfn);
                if (first == null)
                    failure = ScratchFailure.FromXen(XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(metadataGfn));
                else
                    metadata = new Span<ulong>(first, (int)(wanted << (PageSize.Shift - 3)));
            }
            ScratchStatus created = ScratchPagePool<TBalloon>.Create(regions, metadata, ChunkSizeBytes, balloon, out pool);
            if (!failure.IsFailure && created != ScratchStatus.Ok)
                failure = ScratchFailure.FromStatus(created, XenFailure.None);
        }

        // One chunk, then the self-test's page.
        ulong page = 0;
        if (!failure.IsFailure)
        {
            ScratchStatus status = pool.Fill(1);
            if (status == ScratchStatus.Ok)
                status = pool.AllocatePage(out page);
            if (status != ScratchStatus.Ok)
            {
                failure = ScratchFailure.FromStatus(status, pool.BalloonFailure);
                page = 0;
            }
        }

        return Describe(pool, forced, metadataRange, page, failure);
    }

    /// <summary>A snapshot of <paramref name="pool"/> as a result: its method, chunks (the first
    /// <see cref="PhysicalRangeList.Capacity"/>; the stage's pool holds at most
    /// <see cref="MetadataChunks"/>) and page counts.</summary>
    public static ScratchPoolResult Describe<TBalloon>(in ScratchPagePool<TBalloon> pool, bool forced = false,
        PhysicalRange metadata = default, ulong selfTestPage = 0, ScratchFailure failure = default)
        where TBalloon : struct, IBalloonSource, allows ref struct
    {
        PhysicalRangeList chunks = default;
        for (int i = 0; i < pool.ChunkCount && !chunks.IsFull; i++)
            chunks.TryAdd(pool.Chunk(i));
        return new ScratchPoolResult(forced, pool.IsBallooned, metadata, pool.ChunkCapacity, chunks,
            pool.FreePageCount, pool.UsedPageCount, selfTestPage, failure);
    }

    /// <summary>Gives back what <see cref="Open"/> took and the self-test left: the self-test
    /// page once more if it is still out and Xen does not map it, then the metadata.</summary>
    public static ScratchTeardownResult Close<TBalloon>(ref ScratchPagePool<TBalloon> pool, ref RamPageAllocator pages,
        in ScratchPoolResult opened, ulong pageStillHeld, bool pageStillMapped)
        where TBalloon : struct, IBalloonSource, allows ref struct
    {
        ScratchFailure failure = ScratchFailure.None;
        if (pageStillHeld != 0 && !pageStillMapped)
        {
            ScratchStatus freed = pool.FreePage(pageStillHeld);
            if (freed == ScratchStatus.Ok)
                pageStillHeld = 0;
            else
                failure = ScratchFailure.FromStatus(freed, pool.BalloonFailure);
        }
        int stillBallooned = pool.BalloonPagesOut;
        if (!opened.Metadata.IsEmpty)
            pages.Free(opened.Metadata.Start >> PageSize.Shift, (uint)(opened.Metadata.SizeBytes >> PageSize.Shift));
        return new ScratchTeardownResult(failure, pageStillHeld, stillBallooned);
    }
}
