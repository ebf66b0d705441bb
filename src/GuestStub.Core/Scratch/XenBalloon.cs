using System.Runtime.CompilerServices;
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
/// A handle: it refers to the hypervisor value and the page allocator of the caller's frame
/// (both must outlive it and stay where they are: locals of the boot path) and keeps its own
/// book of the pages out (at most <see cref="Capacity"/>), so the pool's copy of it is the one
/// that knows. A failed hypercall is kept in <see cref="LastFailure"/> so the caller can name
/// it; the IBalloonSource statuses alone cannot.
/// </summary>
public unsafe struct XenBalloon<THv> : IBalloonSource where THv : struct, IXenHypervisor
{
    /// <summary>Pages out at once. Each is one run of the page allocator, which holds
    /// <see cref="RamPageAllocator.MaxRuns"/> in all.</summary>
    public const int Capacity = 8;

    private void* _hv;
    private RamPageAllocator* _pages;
    private fixed ulong _out[Capacity];
    private int _count;
    // The last Capacity pages returned, to tell a second return (DoubleFree) from a stranger.
    private fixed ulong _returned[Capacity];
    private int _returnedNext;

    /// <summary>The last hypercall that failed in TakePage or ReturnPage (None when none did).</summary>
    public XenFailure LastFailure;

    /// <param name="hv">The hypervisor, by reference: a local of the caller that outlives the balloon.</param>
    /// <param name="pages">The stub's page allocator, likewise.</param>
    public XenBalloon(ref THv hv, RamPageAllocator* pages)
    {
        _hv = Unsafe.AsPointer(ref hv);
        _pages = pages;
        _count = 0;
        _returnedNext = 0;
        LastFailure = default;
    }

    /// <summary>Pages taken and not returned (0 once everything is back in RAM).</summary>
    public readonly int PagesOut => _count;

    /// <summary>Page <paramref name="index"/> of those out (0 when out of range).</summary>
    public readonly ulong PageOut(int index) => (uint)index < (uint)_count ? _out[index] : 0;

    public ScratchStatus TakePage(out ulong address)
    {
        address = 0;
        if (_count == Capacity || _pages == null || _hv == null)
            return ScratchStatus.BalloonEmpty;
        if (!_pages->TryAllocate(1, out ulong gfn))
        {
            LastFailure = XenFailure.Stub(XenFailureCause.OutOfPages);
            return ScratchStatus.BalloonEmpty;
        }
        XenFailure f = XenMemory.DecreaseReservation(ref Unsafe.AsRef<THv>(_hv), gfn);
        if (f.IsFailure)
        {
            LastFailure = f;
            _pages->Free(gfn, 1);
            return ScratchStatus.BalloonEmpty;
        }
        address = gfn << XenPage.Shift;
        _out[_count++] = address;
        return ScratchStatus.Ok;
    }

    public ScratchStatus ReturnPage(ulong address)
    {
        int i = IndexOf(address);
        if (i < 0)
            return WasReturned(address) ? ScratchStatus.DoubleFree : ScratchStatus.NotScratchPage;
        ulong gfn = address >> XenPage.Shift;
        XenFailure f = XenMemory.PopulatePhysmap(ref Unsafe.AsRef<THv>(_hv), gfn);
        if (f.IsFailure)
        {
            LastFailure = f;
            return ScratchStatus.BalloonFailed;
        }
        _pages->Free(gfn, 1);
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
