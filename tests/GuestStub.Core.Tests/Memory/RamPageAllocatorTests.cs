using GuestStub.Memory;
using Xunit;

namespace GuestStub.Tests.Memory;

public class RamPageAllocatorTests
{
    private static PhysicalRange R(ulong start, ulong size)
    {
        Assert.True(PhysicalRange.TryCreate(start, size, out PhysicalRange r));
        return r;
    }

    private static RamPageAllocator Make(PhysicalRange[] ram, PhysicalRange[] reserved)
    {
        var r = new PhysicalRangeList();
        foreach (PhysicalRange x in ram)
            r.TryAdd(x);
        var v = new PhysicalRangeList();
        foreach (PhysicalRange x in reserved)
            v.TryAdd(x);
        return new RamPageAllocator(r, v);
    }

    [Fact]
    public void Allocates_from_the_top_and_skips_reserved_ranges()
    {
        var a = Make(new[] { R(0x4000_0000, 0x10_0000) }, new[] { R(0x400f_e800, 0x100) });
        Assert.True(a.TryAllocate(1, out ulong gfn));
        Assert.Equal(0x400ffUL, gfn);
        Assert.True(a.TryAllocate(2, out gfn)); // 0x400fe000 page is reserved (partly): below it
        Assert.Equal(0x400fcUL, gfn);
        Assert.Equal(2, a.OutstandingRuns);
        Assert.True(a.Free(0x400ff, 1));
        Assert.False(a.Free(0x400fc, 1)); // must match the run exactly
        Assert.True(a.Free(0x400fc, 2));
        Assert.Equal(0, a.OutstandingRuns);
    }

    [Fact]
    public void Prefers_the_highest_bank_and_fails_when_full()
    {
        var a = Make(new[] { R(0x8000_0000, 0x2000), R(0x4000_0000, 0x2000) }, new PhysicalRange[0]);
        Assert.True(a.TryAllocate(2, out ulong gfn));
        Assert.Equal(0x80000UL, gfn);
        Assert.True(a.TryAllocate(2, out gfn));
        Assert.Equal(0x40000UL, gfn);
        Assert.False(a.TryAllocate(1, out _));
        Assert.False(a.TryAllocate(0, out _));
    }

    [Fact]
    public void Allocating_allocates_nothing_on_the_heap()
    {
        var a = Make(new[] { R(0x4000_0000, 0x100_0000) }, new[] { R(0x40ff_0000, 0x1000) });
        long before = System.GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 8; i++)
            a.TryAllocate(3, out _);
        long after = System.GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(before, after);
    }
}
