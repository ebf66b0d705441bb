using GuestStub.Memory;
using Xunit;

namespace GuestStub.Tests.ExtendedRegions;

/// <summary>Building ranges and lists in tests.</summary>
public static class Ranges
{
    public static PhysicalRange R(ulong start, ulong end)
    {
        Assert.True(PhysicalRange.TryFromBounds(start, end, out PhysicalRange r));
        return r;
    }

    public static PhysicalRangeList List(params PhysicalRange[] ranges)
    {
        PhysicalRangeList list = default;
        foreach (PhysicalRange r in ranges)
            Assert.True(list.TryAdd(r));
        return list;
    }

    public static (ulong Start, ulong End)[] Bounds(in PhysicalRangeList list)
    {
        var result = new (ulong, ulong)[list.Count];
        for (int i = 0; i < list.Count; i++)
            result[i] = (list[i].Start, list[i].End);
        return result;
    }
}
