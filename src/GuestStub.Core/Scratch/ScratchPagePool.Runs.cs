using System;
using GuestStub.Memory;

namespace GuestStub.Scratch;

/// <summary>
/// Runs of contiguous scratch pages: one range of guest-physical space for a mapping that must
/// be contiguous, such as a whole domain's RAM mapped at once (a toolstack's foreign map of a
/// domain, <c>xl save</c>). Linux's unpopulated-alloc.c hands pages out one by one; a run is
/// the same books (the chunks' bitmaps and summaries), taken and given back as a range.
/// </summary>
public ref partial struct ScratchPagePool<TBalloon>
{
    /// <summary>
    /// Takes <paramref name="pageCount"/> contiguous free pages and returns the first one's
    /// address in <paramref name="start"/>: the lowest such run in the chunks filled so far (a
    /// run crosses from one chunk into the next when the two are adjacent). When there is none,
    /// the pool fills one more chunk and looks again (the new chunk may extend a free run at
    /// the end of the last one), until the run fits or no chunk can be added; the chunks added
    /// stay, as with <see cref="Fill"/>.
    /// Errors: MetadataFull at once, filling nothing, when the run is longer than all the chunks
    /// the metadata can describe; NoSpace and MetadataFull from <see cref="Fill"/>; NoSpace
    /// always in the ballooned fallback (a balloon gives single pages, never a run). A run of 0
    /// pages is Ok at address 0 and changes nothing.
    /// Cost: one pass over the filled chunks' bitmaps per chunk added (a group without a free
    /// page skipped by its summary bit, a word of free pages taken whole), then the run's words.
    /// </summary>
    public ScratchStatus AllocateRun(ulong pageCount, out ulong start)
    {
        start = 0;
        if (_ballooned)
            return ScratchStatus.NoSpace;
        if (pageCount == 0)
            return ScratchStatus.Ok;
        if (pageCount > (ulong)_maxChunks * (ulong)_layout.PagesPerChunk)
            return ScratchStatus.MetadataFull;
        // Each turn adds a chunk or returns: at most ChunkCapacity turns.
        while (true)
        {
            if (TryFindRun(pageCount, out int chunk, out int page))
            {
                MarkRun(chunk, page, pageCount, free: false);
                _freePages -= pageCount;
                _usedPages += pageCount;
                start = Header(chunk, BaseWord) + ((ulong)page << PageSize.Shift);
                return ScratchStatus.Ok;
            }
            ScratchStatus status = Fill(1);
            if (status != ScratchStatus.Ok)
                return status;
        }
    }

    /// <summary>
    /// Gives back <paramref name="pageCount"/> pages from <paramref name="start"/> (a run from
    /// <see cref="AllocateRun"/>, or any range of pages the pool handed out): all of them or
    /// none. The pages are checked in address order first; the first that is not a page of a
    /// chunk (misaligned, past the chunks, across a gap between two) is NotScratchPage, the
    /// first already free DoubleFree, and then nothing changes. Each chunk that gets pages back
    /// and is not on the list of chunks with free pages joins it, lowest first. Errors:
    /// NotScratchPage always in the ballooned fallback. 0 pages is Ok and changes nothing.
    /// </summary>
    public ScratchStatus FreeRun(ulong start, ulong pageCount)
    {
        if (_ballooned)
            return ScratchStatus.NotScratchPage;
        if (pageCount == 0)
            return ScratchStatus.Ok;
        if (!PageSize.IsAligned(start))
            return ScratchStatus.NotScratchPage;
        int chunk = FindChunk(start);
        if (chunk < 0)
            return ScratchStatus.NotScratchPage;
        int page = (int)((start - Header(chunk, BaseWord)) >> PageSize.Shift);
        ScratchStatus status = CheckRunUsed(chunk, page, pageCount);
        if (status != ScratchStatus.Ok)
            return status;
        MarkRun(chunk, page, pageCount, free: true);
        _freePages += pageCount;
        _usedPages -= pageCount;
        return ScratchStatus.Ok;
    }

    /// <summary>The lowest run of <paramref name="pageCount"/> free pages: its chunk and page.</summary>
    private readonly bool TryFindRun(ulong pageCount, out int startChunk, out int startPage)
    {
        startChunk = 0;
        startPage = 0;
        ulong length = 0;
        for (int c = 0; c < _chunkCount; c++)
        {
            // A gap between two chunks ends any run.
            if (c > 0 && Header(c, BaseWord) - Header(c - 1, BaseWord) != _layout.ChunkSizeBytes)
                length = 0;
            ulong summary = Header(c, SummaryWord);
            int bitmap = BitmapStart(c);
            for (int g = 0; g < _layout.GroupCount; g++)
            {
                if ((summary & (1UL << g)) == 0)
                {
                    length = 0;
                    continue;
                }
                int end = (g + 1) * _layout.GroupWords;
                for (int w = g * _layout.GroupWords; w < end; w++)
                {
                    ulong word = _metadata[bitmap + w];
                    if (word == ulong.MaxValue)
                    {
                        if (length == 0)
                        {
                            startChunk = c;
                            startPage = w * 64;
                        }
                        length += 64;
                        if (length >= pageCount)
                            return true;
                        continue;
                    }
                    for (int b = 0; b < 64; b++)
                    {
                        if ((word & (1UL << b)) == 0)
                        {
                            length = 0;
                            continue;
                        }
                        if (length == 0)
                        {
                            startChunk = c;
                            startPage = w * 64 + b;
                        }
                        if (++length >= pageCount)
                            return true;
                    }
                }
            }
        }
        return false;
    }

    /// <summary>Ok when every page of the run from <paramref name="page"/> of
    /// <paramref name="chunk"/> is a used page of adjacent chunks; else the first page's error.</summary>
    private readonly ScratchStatus CheckRunUsed(int chunk, int page, ulong pageCount)
    {
        ulong left = pageCount;
        for (int c = chunk; left > 0; c++)
        {
            if (c > chunk && (c == _chunkCount || Header(c, BaseWord) - Header(c - 1, BaseWord) != _layout.ChunkSizeBytes))
                return ScratchStatus.NotScratchPage;
            int first = c == chunk ? page : 0;
            int count = (int)Math.Min(left, (ulong)(_layout.PagesPerChunk - first));
            int bitmap = BitmapStart(c);
            for (int w = first / 64; w <= (first + count - 1) / 64; w++)
            {
                if ((_metadata[bitmap + w] & WordMask(w, first, count)) != 0)
                    return ScratchStatus.DoubleFree;
            }
            left -= (ulong)count;
        }
        return ScratchStatus.Ok;
    }

    /// <summary>Sets (<paramref name="free"/>) or clears the run's bits chunk by chunk and keeps
    /// each group's summary bit exact. A chunk given pages back joins the list if it is not on it;
    /// a chunk left without free pages stays on it (<see cref="TakeAny"/> drops it).</summary>
    private void MarkRun(int chunk, int page, ulong pageCount, bool free)
    {
        ulong left = pageCount;
        for (int c = chunk; left > 0; c++)
        {
            int first = c == chunk ? page : 0;
            int count = (int)Math.Min(left, (ulong)(_layout.PagesPerChunk - first));
            int bitmap = BitmapStart(c);
            int firstWord = first / 64, lastWord = (first + count - 1) / 64;
            for (int w = firstWord; w <= lastWord; w++)
            {
                ulong mask = WordMask(w, first, count);
                if (free)
                    _metadata[bitmap + w] |= mask;
                else
                    _metadata[bitmap + w] &= ~mask;
            }
            ref ulong summary = ref Header(c, SummaryWord);
            for (int g = firstWord / _layout.GroupWords; g <= lastWord / _layout.GroupWords; g++)
            {
                if (free)
                    summary |= 1UL << g;
                else if (GroupIsFull(bitmap + g * _layout.GroupWords))
                    summary &= ~(1UL << g);
            }
            if (free && (Header(c, LinkWord) & OnList) == 0)
                Push(c);
            left -= (ulong)count;
        }
    }

    /// <summary>The bits of word <paramref name="w"/> that pages [first, first + count) of a
    /// chunk cover.</summary>
    private static ulong WordMask(int w, int first, int count)
    {
        int low = Math.Max(first, w * 64) - w * 64;
        int high = Math.Min(first + count, w * 64 + 64) - w * 64;
        ulong upTo = high == 64 ? ulong.MaxValue : (1UL << high) - 1;
        return upTo & ~((1UL << low) - 1);
    }
}
