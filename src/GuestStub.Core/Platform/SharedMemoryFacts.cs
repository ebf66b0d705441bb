using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.Platform;

/// <summary>
/// The static shared memory Xen describes to a guest (Xen built with CONFIG_STATIC_SHM): one
/// <c>/reserved-memory/xen-shmem@ADDR</c> child per region, compatible
/// <c>"xen,shared-memory-v1"</c>, <c>reg</c> in /reserved-memory's cells (the guest address and
/// size), <c>xen,id</c> the region's id (at most 15 characters, MAX_SHM_ID_LENGTH) and
/// <c>xen,offset</c> (Xen's make_shm_resv_memory_node, xen/common/device-tree/static-shmem.c,
/// 4.17 to 4.22). Xen also lists each region in the memory node's reg
/// (shm_mem_node_fill_reg_range), so the region is a memory bank that /reserved-memory keeps
/// from use, not RAM. Read once with the boot facts; what the stub and every stage that must keep
/// clear of the regions (extended regions) read. A node it cannot use is kept as
/// <see cref="Problem"/> rather than failing the boot.
/// </summary>
public unsafe ref struct SharedMemoryFacts
{
    public const int Capacity = 4;

    /// <summary>MAX_SHM_ID_LENGTH without the NUL.</summary>
    public const int MaxIdLength = 15;

    private fixed ulong _start[Capacity];
    private fixed ulong _size[Capacity];
    private ReadOnlySpan<byte> _id0, _id1, _id2, _id3;
    private int _count;

    /// <summary>The first node with the compatible that the stub could not use (no usable reg, no
    /// or bad xen,id, more than <see cref="Capacity"/>), or Ok.</summary>
    public DtbStatus Problem;

    public readonly int Count => _count;

    /// <summary>Region <paramref name="index"/>'s guest-physical range (empty when out of bounds).</summary>
    public readonly PhysicalRange Range(int index)
    {
        PhysicalRange range = default;
        if ((uint)index < (uint)_count)
            PhysicalRange.TryCreate(_start[index], _size[index], out range);
        return range;
    }

    /// <summary>Region <paramref name="index"/>'s xen,id, without its NUL.</summary>
    public readonly ReadOnlySpan<byte> Id(int index) => index switch { 0 => _id0, 1 => _id1, 2 => _id2, 3 => _id3, _ => default };

    /// <summary>The first region that shares a byte with <paramref name="range"/>, or -1.</summary>
    public readonly int FirstOverlapping(PhysicalRange range)
    {
        for (int i = 0; i < _count; i++)
            if (Range(i).Overlaps(range))
                return i;
        return -1;
    }

    /// <summary>True when <paramref name="range"/> is exactly one of the regions (a memory bank Xen
    /// lists for it).</summary>
    public readonly bool IsRegion(PhysicalRange range)
    {
        for (int i = 0; i < _count; i++)
            if (Range(i).Start == range.Start && Range(i).SizeBytes == range.SizeBytes)
                return true;
        return false;
    }

    /// <summary>Reads the regions of <paramref name="tree"/> (none without /reserved-memory).</summary>
    public static void Read(scoped in Dtb tree, ref SharedMemoryFacts facts)
    {
        if (!tree.TryGetChild(tree.Root, "reserved-memory"u8, out DtNode parent))
            return;
        bool more = tree.TryGetFirstChild(parent, out DtNode node);
        for (; more; more = tree.TryGetNextSibling(node, out node))
        {
            if (!tree.IsCompatible(node, "xen,shared-memory-v1"u8))
                continue;
            DtbStatus status = tree.GetReg(parent, node, out DtReg reg);
            PhysicalRange range = default;
            if (status.IsOk)
                status = reg.Count == 1 ? reg.GetRange(0, out range) : DtbStatus.Fail(DtbError.BadValue, node.Offset);
            bool hasId = tree.TryGetString(node, "xen,id"u8, out ReadOnlySpan<byte> id);
            if (status.IsOk && (range.IsEmpty || !hasId || id.IsEmpty || id.Length > MaxIdLength || facts._count == Capacity))
                status = DtbStatus.Fail(facts._count == Capacity ? DtbError.TooMany : DtbError.BadValue, node.Offset);
            if (status.IsOk)
                facts.Add(range, id);
            if (!status.IsOk && facts.Problem.IsOk)
                facts.Problem = status;
        }
    }

    private void Add(PhysicalRange range, ReadOnlySpan<byte> id)
    {
        _start[_count] = range.Start;
        _size[_count] = range.SizeBytes;
        switch (_count)
        {
            case 0: _id0 = id; break;
            case 1: _id1 = id; break;
            case 2: _id2 = id; break;
            default: _id3 = id; break;
        }
        _count++;
    }
}
