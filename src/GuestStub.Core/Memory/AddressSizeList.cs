namespace GuestStub.Memory;

/// <summary>
/// Up to <see cref="Capacity"/> (address, size) pairs kept as a device tree gives them. Unlike
/// <see cref="PhysicalRangeList"/>, a pair whose end passes 2^64 is kept (it has no
/// <see cref="PhysicalRange"/>), so that a consumer can drop just that one and say which it was:
/// the hypervisor node's regions, where Linux drops a bad region and keeps the others.
/// A plain value of fixed size: no heap. Order is insertion order.
/// </summary>
public unsafe struct AddressSizeList
{
    public const int Capacity = PhysicalRangeList.Capacity;

    private fixed ulong _address[Capacity];
    private fixed ulong _size[Capacity];
    private int _count;

    public readonly int Count => _count;

    /// <summary>Appends a pair (any values); false when the list is full.</summary>
    public bool TryAdd(ulong address, ulong sizeBytes)
    {
        if (_count == Capacity)
            return false;
        _address[_count] = address;
        _size[_count] = sizeBytes;
        _count++;
        return true;
    }

    /// <summary>Pair <paramref name="index"/> as given; zeros when out of bounds.</summary>
    public readonly void Get(int index, out ulong address, out ulong sizeBytes)
    {
        if ((uint)index >= (uint)_count)
        {
            address = sizeBytes = 0;
            return;
        }
        address = _address[index];
        sizeBytes = _size[index];
    }

    /// <summary>Pair <paramref name="index"/> as a range; false (and an empty range) when out of
    /// bounds or when its end passes 2^64 (<see cref="EndOverflows"/>).</summary>
    public readonly bool TryGetRange(int index, out PhysicalRange range)
    {
        Get(index, out ulong address, out ulong sizeBytes);
        if ((uint)index < (uint)_count && PhysicalRange.TryCreate(address, sizeBytes, out range))
            return true;
        range = default;
        return false;
    }

    /// <summary>True when pair <paramref name="index"/> exists and address + size passes 2^64 - 1.</summary>
    public readonly bool EndOverflows(int index)
    {
        Get(index, out ulong address, out ulong sizeBytes);
        return (uint)index < (uint)_count && !PhysicalRange.TryCreate(address, sizeBytes, out _);
    }

    /// <summary>The ranges of <paramref name="ranges"/> as pairs (tests, tools: a list built by hand).</summary>
    public static AddressSizeList From(in PhysicalRangeList ranges)
    {
        AddressSizeList list = default;
        for (int i = 0; i < ranges.Count; i++)
            list.TryAdd(ranges[i].Start, ranges[i].SizeBytes);
        return list;
    }
}
