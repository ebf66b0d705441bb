using System;
using GuestStub.Memory;

namespace GuestStub.Scratch;

/// <summary>
/// Linux's allocate_resource (kernel/resource.c) for one root resource, as far as the scratch
/// pool needs it: reserve ranges (the holes, "Unavailable space"), then allocate a size at an
/// alignment within a range, first fit: the lowest aligned start in the lowest free gap that
/// holds it, as __find_resource walks the root's children in address order.
/// Busy ranges are kept sorted and merged when they touch, so a run of chunks costs one
/// entry; nothing is ever released (the pool, like unpopulated-alloc.c, keeps its chunks).
/// </summary>
public unsafe struct ResourceAllocator
{
    /// <summary>Busy ranges the table holds after merging: holes (at most 30) plus the gaps
    /// alignment leaves between chunks.</summary>
    public const int Capacity = 64;

    private fixed ulong _busyStart[Capacity];
    private fixed ulong _busyEnd[Capacity];
    private int _count;

    /// <summary>The root resource: nothing is reserved or allocated outside it.</summary>
    public PhysicalRange Root;

    public static ResourceAllocator Create(PhysicalRange root)
    {
        ResourceAllocator allocator = default;
        allocator.Root = root;
        return allocator;
    }

    public int BusyCount => _count;

    /// <summary>Busy range <paramref name="index"/> in address order (merged).</summary>
    public PhysicalRange Busy(int index)
    {
        if ((uint)index >= (uint)_count)
            return default;
        PhysicalRange.TryFromBounds(_busyStart[index], _busyEnd[index], out PhysicalRange range);
        return range;
    }

    /// <summary>Marks <paramref name="range"/> busy (Linux insert_resource of a child).
    /// Errors: BadRequest (empty), OutsideRoot, Conflict (overlaps a busy range), TableFull.</summary>
    public ResourceStatus Reserve(PhysicalRange range)
    {
        if (range.IsEmpty)
            return ResourceStatus.BadRequest;
        if (!Root.Covers(range))
            return ResourceStatus.OutsideRoot;
        for (int i = 0; i < _count; i++)
        {
            if (range.Start < _busyEnd[i] && _busyStart[i] < range.End)
                return ResourceStatus.Conflict;
        }
        return Insert(range.Start, range.End);
    }

    /// <summary>
    /// First fit: the lowest start, a multiple of <paramref name="alignment"/> (a power of two),
    /// such that [start, start + size) lies in a free gap of the root and inside
    /// <paramref name="within"/>. On success the range is busy and returned. Errors: BadRequest
    /// (size 0 or bad alignment), NoSpace, TableFull.
    /// </summary>
    public ResourceStatus Allocate(ulong sizeBytes, ulong alignment, PhysicalRange within, out PhysicalRange allocated)
    {
        allocated = default;
        if (sizeBytes == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0)
            return ResourceStatus.BadRequest;

        ulong gapStart = Root.Start;
        for (int i = 0; i <= _count; i++)
        {
            ulong gapEnd = i < _count ? _busyStart[i] : Root.End;
            if (TryFit(gapStart, gapEnd, sizeBytes, alignment, within, out ulong start))
            {
                ResourceStatus status = Insert(start, start + sizeBytes);
                if (status == ResourceStatus.Ok)
                    PhysicalRange.TryCreate(start, sizeBytes, out allocated);
                return status;
            }
            if (i < _count)
                gapStart = _busyEnd[i];
        }
        return ResourceStatus.NoSpace;
    }

    /// <summary>The free gap [gapStart, gapEnd) cut to <paramref name="within"/>, its start
    /// rounded up to the alignment; overflow-safe.</summary>
    private static bool TryFit(ulong gapStart, ulong gapEnd, ulong sizeBytes, ulong alignment, PhysicalRange within, out ulong start)
    {
        ulong low = Math.Max(gapStart, within.Start);
        ulong high = Math.Min(gapEnd, within.End);
        start = 0;
        if (low >= high)
            return false;
        ulong mask = alignment - 1;
        if (low > ulong.MaxValue - mask)
            return false;
        start = (low + mask) & ~mask;
        return start <= high && high - start >= sizeBytes;
    }

    /// <summary>Inserts [start, end) in order, merging with a neighbour it touches. The caller
    /// has checked it overlaps nothing.</summary>
    private ResourceStatus Insert(ulong start, ulong end)
    {
        int at = 0;
        while (at < _count && _busyStart[at] < start)
            at++;
        bool joinsPrevious = at > 0 && _busyEnd[at - 1] == start;
        bool joinsNext = at < _count && _busyStart[at] == end;
        if (joinsPrevious && joinsNext)
        {
            _busyEnd[at - 1] = _busyEnd[at];
            for (int i = at; i < _count - 1; i++)
            {
                _busyStart[i] = _busyStart[i + 1];
                _busyEnd[i] = _busyEnd[i + 1];
            }
            _count--;
            return ResourceStatus.Ok;
        }
        if (joinsPrevious)
        {
            _busyEnd[at - 1] = end;
            return ResourceStatus.Ok;
        }
        if (joinsNext)
        {
            _busyStart[at] = start;
            return ResourceStatus.Ok;
        }
        if (_count == Capacity)
            return ResourceStatus.TableFull;
        for (int i = _count; i > at; i--)
        {
            _busyStart[i] = _busyStart[i - 1];
            _busyEnd[i] = _busyEnd[i - 1];
        }
        _busyStart[at] = start;
        _busyEnd[at] = end;
        _count++;
        return ResourceStatus.Ok;
    }
}
