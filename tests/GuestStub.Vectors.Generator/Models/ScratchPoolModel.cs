using System;
using System.Collections.Generic;
using System.Linq;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// The scratch pool's observable behaviour, restated plainly, independently of Core's bitmaps
/// (src/GuestStub.Core/Scratch/ScratchPagePool.cs documents it): chunks of one size, placed
/// first fit (the lowest chunk-aligned slot inside the resource clear of the holes and of the
/// chunks already taken), each pushed onto a list of chunks with free pages when it is added or
/// when a page of a chunk not on the list is freed; a page is the lowest free page of the chunk
/// at the head of the list, and a chunk leaves the list when it has none left (or is found
/// without any at the head). Batches are all or nothing: a failed free takes back what it freed,
/// leaving the list as it is. A run is the lowest address where that many free pages follow
/// one another, across adjacent chunks; without one, a chunk is added and the search made again
/// until one is found or no chunk can be added (a run longer than every chunk the metadata
/// holds is refused before any). Taking a run leaves the list alone; giving one back checks
/// every page in address order first (outside the chunks, then already free), then pushes each
/// chunk it touches that is not on the list, lowest first.
/// </summary>
public sealed class ScratchPoolModel
{
    private const ulong Page = 4096;

    private sealed class Chunk
    {
        public ulong Base;
        public SortedSet<int> Free = new();
        public bool OnList;
    }

    private readonly ulong _chunkSize;
    private readonly int _pagesPerChunk;
    private readonly int _maxChunks;
    private readonly Span64 _resource;
    private readonly List<Span64> _holes;
    private readonly List<Chunk> _chunks = new();
    private readonly List<Chunk> _list = new(); // the head is the last element

    public ulong FreePages { get; private set; }
    public ulong UsedPages { get; private set; }
    public int ChunkCount => _chunks.Count;

    public ScratchPoolModel(ExtendedRegionModel regions, ulong chunkSize, int maxChunks)
    {
        _chunkSize = chunkSize;
        _pagesPerChunk = (int)(chunkSize / Page);
        _maxChunks = maxChunks;
        _resource = regions.Resource ?? throw new ArgumentException("no target resource");
        _holes = regions.Holes;
    }

    public string Fill(ulong pages)
    {
        ulong perChunk = (ulong)_pagesPerChunk;
        ulong chunks = (pages + perChunk - 1) / perChunk;
        for (ulong n = 0; n < chunks; n++)
        {
            if (_chunks.Count == _maxChunks)
                return "metadata-full";
            ulong? slot = FirstFit();
            if (slot is null)
                return "no-space";
            var chunk = new Chunk { Base = slot.Value };
            for (int p = 0; p < _pagesPerChunk; p++)
                chunk.Free.Add(p);
            _chunks.Add(chunk);
            Push(chunk);
            FreePages += perChunk;
        }
        return "ok";
    }

    private ulong? FirstFit()
    {
        var busy = _holes.Concat(_chunks.Select(c => new Span64(c.Base, _chunkSize))).OrderBy(b => b.Start).ToList();
        ulong mask = _chunkSize - 1;
        if (_resource.Start > ulong.MaxValue - mask)
            return null;
        ulong at = (_resource.Start + mask) & ~mask;
        while (at <= _resource.End && _resource.End - at >= _chunkSize)
        {
            var slot = new Span64(at, _chunkSize);
            Span64? hit = busy.Cast<Span64?>().FirstOrDefault(b => b!.Value.Overlaps(slot));
            if (hit is null)
                return at;
            ulong next = hit.Value.End;
            if (next > ulong.MaxValue - mask)
                return null;
            at = (next + mask) & ~mask;
        }
        return null;
    }

    public string Allocate(int count, List<ulong> pages)
    {
        if (FreePages < (ulong)count)
        {
            string status = Fill((ulong)count - FreePages);
            if (status != "ok")
                return status;
        }
        for (int i = 0; i < count; i++)
            pages.Add(TakeAny());
        return "ok";
    }

    public string AllocatePage(out ulong page)
    {
        page = 0;
        if (FreePages == 0)
        {
            var one = new List<ulong>();
            string status = Allocate(1, one);
            if (status == "ok")
                page = one[0];
            return status;
        }
        page = TakeAny();
        return "ok";
    }

    private ulong TakeAny()
    {
        while (_list[^1].Free.Count == 0)
            Pop();
        Chunk c = _list[^1];
        int page = c.Free.Min;
        c.Free.Remove(page);
        if (c.Free.Count == 0)
            Pop();
        FreePages--;
        UsedPages++;
        return c.Base + (ulong)page * Page;
    }

    public string FreePage(ulong address)
    {
        if (address % Page != 0)
            return "not-a-scratch-page";
        Chunk? c = _chunks.FirstOrDefault(c => address >= c.Base && address - c.Base < _chunkSize);
        if (c is null)
            return "not-a-scratch-page";
        int page = (int)((address - c.Base) / Page);
        if (!c.Free.Add(page))
            return "double-free";
        if (!c.OnList)
            Push(c);
        FreePages++;
        UsedPages--;
        return "ok";
    }

    public string Free(IReadOnlyList<ulong> batch)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            string status = FreePage(batch[i]);
            if (status == "ok")
                continue;
            for (int j = 0; j < i; j++)
                Retake(batch[j]);
            return status;
        }
        return "ok";
    }

    public string AllocateRun(ulong count, out ulong start)
    {
        start = 0;
        if (count == 0)
            return "ok";
        if (count > (ulong)_maxChunks * (ulong)_pagesPerChunk)
            return "metadata-full";
        while (true)
        {
            if (FindRun(count) is (Chunk chunk, int page))
            {
                start = chunk.Base + (ulong)page * Page;
                foreach ((Chunk c, int p) in PagesFrom(start, count))
                    c.Free.Remove(p);
                FreePages -= count;
                UsedPages += count;
                return "ok";
            }
            string status = Fill(1);
            if (status != "ok")
                return status;
        }
    }

    /// <summary>The lowest free run of <paramref name="count"/> pages, page by page in address order.</summary>
    private (Chunk, int)? FindRun(ulong count)
    {
        ulong length = 0;
        (Chunk, int) first = default;
        Chunk? previous = null;
        foreach (Chunk c in _chunks.OrderBy(c => c.Base))
        {
            if (previous is not null && previous.Base + _chunkSize != c.Base)
                length = 0;
            previous = c;
            for (int p = 0; p < _pagesPerChunk; p++)
            {
                if (!c.Free.Contains(p))
                {
                    length = 0;
                    continue;
                }
                if (length == 0)
                    first = (c, p);
                if (++length == count)
                    return first;
            }
        }
        return null;
    }

    public string FreeRun(ulong start, ulong count)
    {
        if (count == 0)
            return "ok";
        if (start % Page != 0)
            return "not-a-scratch-page";
        var pages = new List<(Chunk, int)>();
        for (ulong i = 0; i < count; i++)
        {
            ulong address = start + i * Page;
            Chunk? c = _chunks.FirstOrDefault(c => address >= c.Base && address - c.Base < _chunkSize);
            if (c is null)
                return "not-a-scratch-page";
            int page = (int)((address - c.Base) / Page);
            if (c.Free.Contains(page))
                return "double-free";
            pages.Add((c, page));
        }
        foreach ((Chunk c, int p) in pages)
            c.Free.Add(p);
        foreach (Chunk c in pages.Select(x => x.Item1).Distinct().OrderBy(c => c.Base))
        {
            if (!c.OnList)
                Push(c);
        }
        FreePages += count;
        UsedPages -= count;
        return "ok";
    }

    private IEnumerable<(Chunk, int)> PagesFrom(ulong start, ulong count)
    {
        for (ulong i = 0; i < count; i++)
        {
            ulong address = start + i * Page;
            Chunk c = _chunks.First(c => address >= c.Base && address - c.Base < _chunkSize);
            yield return (c, (int)((address - c.Base) / Page));
        }
    }

    private void Retake(ulong address)
    {
        Chunk c = _chunks.First(c => address >= c.Base && address - c.Base < _chunkSize);
        c.Free.Remove((int)((address - c.Base) / Page));
        FreePages--;
        UsedPages++;
    }

    private void Push(Chunk c)
    {
        c.OnList = true;
        _list.Add(c);
    }

    private void Pop()
    {
        _list[^1].OnList = false;
        _list.RemoveAt(_list.Count - 1);
    }
}
