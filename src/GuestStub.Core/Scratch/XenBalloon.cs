using GuestStub.Memory;
using GuestStub.Xen;

namespace GuestStub.Scratch;

/// <summary>
/// The scratch pool's ballooned fallback over the real (or simulated) Xen, Linux's
/// xen_alloc_ballooned_pages reduced to what the stub needs: <see cref="TakePage"/> takes one
/// RAM page from the stub's <see cref="RamPageAllocator"/> and gives its frame back to Xen with
/// XENMEM_decrease_reservation, leaving a hole where grants can be mapped;
/// <see cref="ReturnPage"/> repopulates it with XENMEM_populate_physmap (a direct-mapped dom0
/// gets exactly its own frame back, shared/PLATFORM.md) and frees the RAM page.
///
/// A ref struct holding references to the hypercall transport and the page allocator of the
/// boot pipeline's frame, so the compiler sees that both outlive it. It keeps its own book of the
/// pages out (at most <see cref="Capacity"/>), so the pool's copy of it is the one that knows.
/// A failed hypercall is kept in <see cref="LastFailure"/> so the caller can name it; the
/// IBalloonSource statuses alone cannot.
/// </summary>
public unsafe ref struct XenBalloon<THc> : IBalloonSource where THc : struct, IXenHypercalls
{
    /// <summary>Pages out at once. Each is one run of the page allocator, which holds
    /// <see cref="RamPageAllocator.MaxRuns"/> in all.</summary>
    public const int Capacity = 8;

    private readonly ref THc _hc;
    private readonly ref RamPageAllocator _pages;
    private fixed ulong _out[Capacity];
    private int _count;
    // The last Capacity pages returned, to tell a second return (DoubleFree) from a stranger.
    private fixed ulong _returned[Capacity];
    private int _returnedNext;

    private XenFailure _lastFailure;

    public XenBalloon(ref THc hc, ref RamPageAllocator pages)
    {
        _hc = ref hc;
        _pages = ref pages;
        _count = 0;
        _returnedNext = 0;
        _lastFailure = default;
    }

    public readonly int PagesOut => _count;

    public readonly XenFailure LastFailure => _lastFailure;

    /// <summary>Page <paramref name="index"/> of those out (0 when out of range).</summary>
    public readonly ulong PageOut(int index) => (uint)index < (uint)_count ? _out[index] : 0;

    public ScratchStatus TakePage(out ulong address)
    {
        address = 0;
        if (_count == Capacity)
            return ScratchStatus.BalloonEmpty;
        if (!_pages.TryAllocate(1, out ulong gfn))
        {
            _lastFailure = XenFailure.Stub(XenFailureCause.OutOfPages);
            return ScratchStatus.BalloonEmpty;
        }
        XenFailure f = XenMemory.DecreaseReservation(ref _hc, gfn);
        if (f.IsFailure)
        {
            _lastFailure = f;
            _pages.Free(gfn, 1);
            return ScratchStatus.BalloonEmpty;
        }
        address = gfn << PageSize.Shift;
        _out[_count++] = address;
        return ScratchStatus.Ok;
    }

    public ScratchStatus ReturnPage(ulong address)
    {
        int i = IndexOf(address);
        if (i < 0)
            return WasReturned(address) ? ScratchStatus.DoubleFree : ScratchStatus.NotScratchPage;
        ulong gfn = address >> PageSize.Shift;
        XenFailure f = XenMemory.PopulatePhysmap(ref _hc, gfn);
        if (f.IsFailure)
        {
            _lastFailure = f;
            return ScratchStatus.BalloonFailed;
        }
        _pages.Free(gfn, 1);
        _out[i] = _out[--_count];
        _returned[_returnedNext] = address;
        _returnedNext = (_returnedNext + 1) % Capacity;
        return ScratchStatus.Ok;
    }

    private readonly int IndexOf(ulong address)
    {
        for (int i = 0; i < _count; i++)
            if (_out[i] == address)
                return i;
        return -1;
    }

    private readonly bool WasReturned(ulong address)
    {
        if (address == 0)
            return false;
        for (int i = 0; i < Capacity; i++)
            if (_returned[i] == address)
                return true;
        return false;
    }
}
