namespace GuestStub.Memory;

/// <summary>
/// The stub's own RAM pages, for what it shares with or gives to Xen (the page behind shared_info,
/// the page it grants itself, ballooned grant frames): runs of contiguous 4 KiB pages taken from
/// the top of the RAM banks, never overlapping a reserved range (the DTB, the stub image, the
/// reservation map, /reserved-memory) or another run handed out. Addresses are guest-physical.
/// A value with fixed capacity (<see cref="MaxRuns"/> runs outstanding), so it allocates
/// nothing itself; freeing every run returns it to its initial state.
/// </summary>
public unsafe struct RamPageAllocator
{
    public const int MaxRuns = 16;

    private PhysicalRangeList _ram;
    private PhysicalRangeList _reserved;
    private int _runCount;
    private fixed ulong _runStart[MaxRuns];
    private fixed ulong _runPages[MaxRuns];

    public RamPageAllocator(in PhysicalRangeList ram, in PhysicalRangeList reserved)
    {
        _ram = ram;
        _reserved = reserved;
        _runCount = 0;
    }

    /// <summary>Runs handed out and not freed yet (0 after a clean teardown).</summary>
    public readonly int OutstandingRuns => _runCount;

    /// <summary>Finds <paramref name="pageCount"/> free contiguous pages, as high as possible;
    /// returns the first page's frame number. False when no bank has such a run or
    /// <see cref="MaxRuns"/> are outstanding.</summary>
    public bool TryAllocate(uint pageCount, out ulong firstGfn)
    {
        firstGfn = 0;
        if (pageCount == 0 || _runCount == MaxRuns)
            return false;
        ulong bytes = (ulong)pageCount << PageSize.Shift;
        bool found = false;
        ulong best = 0;
        for (int i = 0; i < _ram.Count; i++)
        {
            if (TryFindInBank(_ram[i], bytes, out ulong start) && (!found || start > best))
            {
                best = start;
                found = true;
            }
        }
        if (!found)
            return false;
        _runStart[_runCount] = best;
        _runPages[_runCount] = pageCount;
        _runCount++;
        firstGfn = best >> PageSize.Shift;
        return true;
    }

    /// <summary>Returns a run exactly as <see cref="TryAllocate"/> gave it; false for anything else.</summary>
    public bool Free(ulong firstGfn, uint pageCount)
    {
        ulong start = firstGfn << PageSize.Shift;
        for (int i = 0; i < _runCount; i++)
        {
            if (_runStart[i] != start || _runPages[i] != pageCount)
                continue;
            _runCount--;
            _runStart[i] = _runStart[_runCount];
            _runPages[i] = _runPages[_runCount];
            return true;
        }
        return false;
    }

    /// <summary>The highest page-aligned [start, start + bytes) inside <paramref name="bank"/>
    /// clear of reserved ranges and outstanding runs. Each overlap moves the candidate's end
    /// below the range it hit, so the loop ends after at most one step per obstacle.</summary>
    private readonly bool TryFindInBank(PhysicalRange bank, ulong bytes, out ulong start)
    {
        start = 0;
        ulong bankStart = (bank.Start + PageSize.OffsetMask) & ~PageSize.OffsetMask;
        if (bankStart < bank.Start)
            return false; // rounding up wrapped
        ulong end = bank.End & ~PageSize.OffsetMask;
        for (int guard = 0; guard <= _reserved.Count + MaxRuns + 1; guard++)
        {
            if (end < bankStart || end - bankStart < bytes)
                return false;
            PhysicalRange.TryFromBounds(end - bytes, end, out PhysicalRange candidate);
            if (!TryFindObstacle(candidate, out ulong obstacleStart))
            {
                start = candidate.Start;
                return true;
            }
            end = obstacleStart & ~PageSize.OffsetMask;
        }
        return false;
    }

    /// <summary>The lowest start of anything overlapping <paramref name="candidate"/>.</summary>
    private readonly bool TryFindObstacle(PhysicalRange candidate, out ulong lowestStart)
    {
        bool hit = false;
        lowestStart = ulong.MaxValue;
        for (int i = 0; i < _reserved.Count; i++)
        {
            PhysicalRange r = _reserved[i];
            if (r.Overlaps(candidate) && r.Start < lowestStart)
            {
                lowestStart = r.Start;
                hit = true;
            }
        }
        for (int i = 0; i < _runCount; i++)
        {
            PhysicalRange.TryCreate(_runStart[i], _runPages[i] << PageSize.Shift, out PhysicalRange run);
            if (run.Overlaps(candidate) && run.Start < lowestStart)
            {
                lowestStart = run.Start;
                hit = true;
            }
        }
        return hit;
    }
}
