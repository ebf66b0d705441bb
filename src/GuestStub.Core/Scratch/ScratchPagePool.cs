using GuestStub.Xen;
using System;
using System.Numerics;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;

namespace GuestStub.Scratch;

/// <summary>
/// Scratch pages: guest-physical pages with no RAM behind them, where grant and foreign
/// mappings go (Linux drivers/xen/unpopulated-alloc.c). With a target resource the pool fills
/// itself in chunks (<see cref="ScratchPageLayout.DefaultChunkSizeBytes"/>, Linux's arm64
/// section) allocated first fit, chunk aligned, from the resource minus its holes, and serves
/// pages from a bitmap in the caller's metadata span (layout: <see cref="ScratchPageLayout"/>).
/// Without one (registration failed) it serves ballooned RAM pages from
/// <typeparamref name="TBalloon"/>, as Linux falls back to xen_alloc_ballooned_pages.
///
/// Runs of contiguous pages, for a mapping that must be one range of guest-physical space (a
/// whole domain mapped at once), come from <see cref="AllocateRun"/> (ScratchPagePool.Runs.cs).
///
/// Costs: allocating a page is O(1) amortised (pop stale list heads, one summary word, at most
/// one bitmap group); freeing is one binary search over the chunk bases (at most 12 probes for
/// the 4096 chunks of a 512 GiB identity map) plus O(1). Chunks are never given back, as in
/// Linux. A ref struct because it holds the span; it lives on the boot path's stack.
/// </summary>
public ref partial struct ScratchPagePool<TBalloon> where TBalloon : struct, IBalloonSource, allows ref struct
{
    private const int BaseWord = 0;
    private const int SummaryWord = 1;
    private const int LinkWord = 2;
    private const ulong OnList = 1UL << 63;
    private const int NoChunk = -1;

    private Span<ulong> _metadata;
    private ScratchPageLayout _layout;
    private ResourceAllocator _allocator;
    private TBalloon _balloon;
    private bool _ballooned;
    private int _chunkCount;
    private int _maxChunks;
    private int _listHead;
    private ulong _freePages;
    private ulong _usedPages;

    /// <summary>
    /// A pool over <paramref name="regions"/>: its resource and holes when it has a target
    /// resource, else the ballooned fallback (then <paramref name="metadata"/> may be empty).
    /// Errors: BadChunkSize. Holes always fit the allocator (at most 30, each inside the resource).
    /// </summary>
    public static ScratchStatus Create(in ExtendedRegionSet regions, Span<ulong> metadata, ulong chunkSizeBytes,
        TBalloon balloon, out ScratchPagePool<TBalloon> pool)
    {
        pool = default;
        if (!ScratchPageLayout.TryCreate(chunkSizeBytes, out pool._layout))
            return ScratchStatus.BadChunkSize;
        pool._metadata = metadata;
        pool._balloon = balloon;
        pool._listHead = NoChunk;
        pool._maxChunks = metadata.Length / pool._layout.StrideWords;
        pool._ballooned = !regions.HasResource;
        if (pool._ballooned)
            return ScratchStatus.Ok;
        pool._allocator = ResourceAllocator.Create(regions.Resource);
        for (int i = 0; i < regions.Holes.Count; i++)
            pool._allocator.Reserve(regions.Holes[i]);
        return ScratchStatus.Ok;
    }

    /// <summary>The ballooned fallback alone, as when there is no target resource (also when
    /// one is there but not to be used: gueststub.scratch=ballooned).</summary>
    public static void CreateBallooned(TBalloon balloon, out ScratchPagePool<TBalloon> pool)
    {
        pool = default;
        pool._balloon = balloon;
        pool._listHead = NoChunk;
        pool._ballooned = true;
    }

    /// <summary>True when pages come from the balloon (no target resource).</summary>
    public readonly bool IsBallooned => _ballooned;

    public readonly ulong FreePageCount => _freePages;

    public readonly ulong UsedPageCount => _usedPages;

    public readonly int ChunkCount => _chunkCount;

    /// <summary>How many chunks the metadata span can describe.</summary>
    public readonly int ChunkCapacity => _maxChunks;

    public readonly ScratchPageLayout Layout => _layout;

    /// <summary>The balloon source, e.g. for its own counters.</summary>
    public readonly TBalloon Balloon => _balloon;

    /// <summary>The balloon's last refused hypercall (<see cref="IBalloonSource.LastFailure"/>).
    /// Not readonly on purpose: read through a readonly member, the generic balloon would be
    /// copied first (the guest's is 180 bytes, and each copy is code in its image).</summary>
    public XenFailure BalloonFailure => _balloon.LastFailure;

    /// <summary>Pages the balloon holds out of the domain (<see cref="IBalloonSource.PagesOut"/>; not readonly, as above).</summary>
    public int BalloonPagesOut => _balloon.PagesOut;

    /// <summary>Chunk <paramref name="index"/>, in fill order (also address order).</summary>
    public readonly PhysicalRange Chunk(int index)
    {
        if ((uint)index >= (uint)_chunkCount)
            return default;
        PhysicalRange.TryCreate(_metadata[index * _layout.StrideWords + BaseWord], _layout.ChunkSizeBytes, out PhysicalRange chunk);
        return chunk;
    }

    /// <summary>
    /// Adds whole chunks until at least <paramref name="pageCount"/> more pages are free
    /// (Linux fill_list rounds up to a section the same way, though it takes them as one
    /// range; chunk by chunk also fits between holes). Chunks added before an error stay.
    /// Errors: NoSpace, MetadataFull. A no-op in the ballooned fallback.
    /// </summary>
    public ScratchStatus Fill(ulong pageCount)
    {
        if (_ballooned)
            return ScratchStatus.Ok;
        ulong perChunk = (ulong)_layout.PagesPerChunk;
        ulong chunks = pageCount / perChunk + (pageCount % perChunk != 0 ? 1UL : 0UL);
        for (ulong n = 0; n < chunks; n++)
        {
            if (_chunkCount == _maxChunks)
                return ScratchStatus.MetadataFull;
            ResourceStatus status = _allocator.Allocate(_layout.ChunkSizeBytes, _layout.ChunkSizeBytes, _allocator.Root, out PhysicalRange chunk);
            if (status != ResourceStatus.Ok)
                return ScratchStatus.NoSpace;
            AddChunk(chunk.Start);
        }
        return ScratchStatus.Ok;
    }

    /// <summary>Chunk bases ascend: every chunk has the same size and alignment, and first fit
    /// always takes the lowest aligned slot still free, so the binary search in FindChunk holds.</summary>
    private void AddChunk(ulong chunkBase)
    {
        int c = _chunkCount++;
        Span<ulong> header = _metadata.Slice(c * _layout.StrideWords, _layout.StrideWords);
        header[BaseWord] = chunkBase;
        header[SummaryWord] = _layout.GroupCount == 64 ? ulong.MaxValue : (1UL << _layout.GroupCount) - 1;
        header[LinkWord] = 0;
        header.Slice(ScratchPageLayout.HeaderWords).Fill(ulong.MaxValue);
        Push(c);
        _freePages += (ulong)_layout.PagesPerChunk;
    }

    /// <summary>
    /// Fills <paramref name="addresses"/> with scratch pages (Linux xen_alloc_unpopulated_pages):
    /// all of them or none. Fills the pool first when it has too few free pages.
    /// Errors: those of <see cref="Fill"/>; in the fallback those of TBalloon.TakePage.
    /// </summary>
    public ScratchStatus Allocate(scoped Span<ulong> addresses)
    {
        ulong count = (ulong)addresses.Length;
        if (_ballooned)
            return AllocateBallooned(addresses);
        if (_freePages < count)
        {
            ScratchStatus status = Fill(count - _freePages);
            if (status != ScratchStatus.Ok)
                return status;
        }
        for (int i = 0; i < addresses.Length; i++)
            addresses[i] = TakeAny();
        return ScratchStatus.Ok;
    }

    public ScratchStatus AllocatePage(out ulong address)
    {
        address = 0;
        if (_ballooned || _freePages == 0)
            return Allocate(new Span<ulong>(ref address));
        address = TakeAny();
        return ScratchStatus.Ok;
    }

    /// <summary>
    /// Gives <paramref name="addresses"/> back (Linux xen_free_unpopulated_pages): all of them
    /// or none. Errors: NotScratchPage (misaligned, or in no chunk), DoubleFree (already free,
    /// or listed twice); in the fallback those of TBalloon.ReturnPage. On an error the pages
    /// before the bad one are taken again, so the pool is as it was. Except in the fallback:
    /// the pages before the bad one are back in RAM by then and the balloon cannot release a
    /// chosen frame again, so there they stay freed and only the rest is left untouched.
    /// </summary>
    public ScratchStatus Free(scoped ReadOnlySpan<ulong> addresses)
    {
        for (int i = 0; i < addresses.Length; i++)
        {
            ScratchStatus status = FreeOne(addresses[i]);
            if (status == ScratchStatus.Ok)
                continue;
            for (int j = 0; j < i && !_ballooned; j++)
                Retake(addresses[j]);
            return status;
        }
        return ScratchStatus.Ok;
    }

    /// <summary>One page: <see cref="Free"/> without a batch to roll back.</summary>
    public ScratchStatus FreePage(ulong address) => FreeOne(address);

    /// <summary>True when <paramref name="address"/> is a page of one of the pool's chunks
    /// (free or used). Always false in the ballooned fallback.</summary>
    public readonly bool IsScratchPage(ulong address) =>
        !_ballooned && PageSize.IsAligned(address) && FindChunk(address) >= 0;

    private ScratchStatus AllocateBallooned(scoped Span<ulong> addresses)
    {
        for (int i = 0; i < addresses.Length; i++)
        {
            ScratchStatus status = _balloon.TakePage(out addresses[i]);
            if (status == ScratchStatus.Ok)
                continue;
            for (int j = 0; j < i; j++)
                _balloon.ReturnPage(addresses[j]);
            return status;
        }
        _usedPages += (ulong)addresses.Length;
        return ScratchStatus.Ok;
    }

    /// <summary>A free page from the first chunk on the list. Stale heads (chunks that became
    /// full through <see cref="Retake"/>) are dropped here, each once.</summary>
    private ulong TakeAny()
    {
        while (Header(_listHead, SummaryWord) == 0)
            Pop();
        int c = _listHead;
        ref ulong summary = ref Header(c, SummaryWord);
        int group = BitOperations.TrailingZeroCount(summary);
        int first = BitmapStart(c) + group * _layout.GroupWords;
        int w = first;
        while (_metadata[w] == 0)
            w++;
        int bit = BitOperations.TrailingZeroCount(_metadata[w]);
        _metadata[w] &= _metadata[w] - 1;
        if (_metadata[w] == 0 && GroupIsFull(first))
        {
            summary &= ~(1UL << group);
            if (summary == 0)
                Pop();
        }
        _freePages--;
        _usedPages++;
        ulong page = (ulong)(w - BitmapStart(c)) * 64 + (ulong)bit;
        return Header(c, BaseWord) + (page << PageSize.Shift);
    }

    private ScratchStatus FreeOne(ulong address)
    {
        if (_ballooned)
        {
            ScratchStatus status = _balloon.ReturnPage(address);
            if (status == ScratchStatus.Ok)
                _usedPages--;
            return status;
        }
        if (!PageSize.IsAligned(address))
            return ScratchStatus.NotScratchPage;
        int c = FindChunk(address);
        if (c < 0)
            return ScratchStatus.NotScratchPage;
        int page = (int)((address - Header(c, BaseWord)) >> PageSize.Shift);
        ref ulong word = ref _metadata[BitmapStart(c) + page / 64];
        ulong mask = 1UL << (page % 64);
        if ((word & mask) != 0)
            return ScratchStatus.DoubleFree;
        word |= mask;
        Header(c, SummaryWord) |= 1UL << (page / 64 / _layout.GroupWords);
        if ((Header(c, LinkWord) & OnList) == 0)
            Push(c);
        _freePages++;
        _usedPages--;
        return ScratchStatus.Ok;
    }

    /// <summary>Marks a page FreeOne just freed as used again (rolling back a failed batch).
    /// A chunk that becomes full stays on the list; TakeAny drops it.</summary>
    private void Retake(ulong address)
    {
        int c = FindChunk(address);
        int page = (int)((address - Header(c, BaseWord)) >> PageSize.Shift);
        int first = BitmapStart(c) + page / 64 / _layout.GroupWords * _layout.GroupWords;
        _metadata[BitmapStart(c) + page / 64] &= ~(1UL << (page % 64));
        if (GroupIsFull(first))
            Header(c, SummaryWord) &= ~(1UL << (page / 64 / _layout.GroupWords));
        _freePages--;
        _usedPages++;
    }

    private readonly bool GroupIsFull(int firstWord)
    {
        for (int i = 0; i < _layout.GroupWords; i++)
        {
            if (_metadata[firstWord + i] != 0)
                return false;
        }
        return true;
    }

    /// <summary>The chunk holding <paramref name="address"/>, or -1: binary search over the
    /// ascending chunk bases.</summary>
    private readonly int FindChunk(ulong address)
    {
        int low = 0, high = _chunkCount - 1;
        while (low <= high)
        {
            int mid = (low + high) >> 1;
            ulong chunkBase = _metadata[mid * _layout.StrideWords + BaseWord];
            if (address < chunkBase)
                high = mid - 1;
            else if (address - chunkBase >= _layout.ChunkSizeBytes)
                low = mid + 1;
            else
                return mid;
        }
        return -1;
    }

    private void Push(int c)
    {
        Header(c, LinkWord) = OnList | (uint)(_listHead + 1);
        _listHead = c;
    }

    private void Pop()
    {
        ref ulong link = ref Header(_listHead, LinkWord);
        _listHead = (int)(uint)link - 1;
        link = 0;
    }

    private readonly int BitmapStart(int c) => c * _layout.StrideWords + ScratchPageLayout.HeaderWords;

    private readonly ref ulong Header(int c, int word) => ref _metadata[c * _layout.StrideWords + word];
}
