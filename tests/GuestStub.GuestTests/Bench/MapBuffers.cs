using System;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Xen.Abi;

namespace GuestStub.GuestTests;

/// <summary>
/// The arrays dom0's mapping benchmark hands Xen, in its own RAM (too large for the image: the
/// image's memory must fit one 2 MiB table): a foreign batch's idxs, gpfns and errs for a whole
/// domain of <see cref="Frames"/> pages, and the grant operations for <see cref="Grants"/> pages.
/// Xen reads and writes them through the stub's identity map (Xen copies each element from
/// and to guest virtual addresses, translated through the guest's own tables).
/// </summary>
internal unsafe struct MapBuffers
{
    /// <summary>A whole 256 MiB domain.</summary>
    public const int Frames = 65536;

    public const int Grants = (int)MapPeer.DataGrants;

    public ulong* Idxs;
    public ulong* Gpfns;
    public int* Errs;
    public GnttabMapGrantRef* MapOps;
    public GnttabUnmapGrantRef* UnmapOps;

    private ulong _firstGfn;
    private uint _pages;

    private static uint PagesFor(long bytes) => (uint)((bytes + (long)PageSize.OffsetMask) >> PageSize.Shift);

    private static uint TotalPages =>
        PagesFor(Frames * 8L) * 2 + PagesFor(Frames * 4L) + PagesFor(Grants * (long)GnttabMapGrantRef.SizeBytes) +
        PagesFor(Grants * (long)GnttabUnmapGrantRef.SizeBytes);

    /// <summary>One run of the stub's RAM for all of them; false when there is none that large.</summary>
    public static bool TryAllocate(ref RamPageAllocator pages, ref GuestMemory mem, out MapBuffers buffers)
    {
        buffers = default;
        uint total = TotalPages;
        if (!pages.TryAllocate(total, out ulong gfn))
            return false;
        byte* at = mem.Page(gfn);
        if (at == null)
        {
            pages.Free(gfn, total);
            return false;
        }
        buffers._firstGfn = gfn;
        buffers._pages = total;
        buffers.Idxs = (ulong*)at;
        at += (ulong)PagesFor(Frames * 8L) << PageSize.Shift;
        buffers.Gpfns = (ulong*)at;
        at += (ulong)PagesFor(Frames * 8L) << PageSize.Shift;
        buffers.Errs = (int*)at;
        at += (ulong)PagesFor(Frames * 4L) << PageSize.Shift;
        buffers.MapOps = (GnttabMapGrantRef*)at;
        at += (ulong)PagesFor(Grants * (long)GnttabMapGrantRef.SizeBytes) << PageSize.Shift;
        buffers.UnmapOps = (GnttabUnmapGrantRef*)at;
        return true;
    }

    public readonly void Free(ref RamPageAllocator pages)
    {
        if (_pages != 0)
            pages.Free(_firstGfn, _pages);
    }
}
