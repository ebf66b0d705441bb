using System.Collections.Generic;
using System.Linq;
using CsCheck;
using GuestStub.Memory;
using GuestStub.Scratch;
using Xunit;
using static GuestStub.Tests.ExtendedRegions.Ranges;

namespace GuestStub.Tests.Scratch;

public class ResourceAllocatorTests
{
    [Fact]
    public void First_fit_skips_reserved_ranges_and_aligns()
    {
        ResourceAllocator a = ResourceAllocator.Create(R(0x40400000, 0x80000000));
        Assert.Equal(ResourceStatus.Ok, a.Reserve(R(0x48000000, 0x50000000)));
        // The first 128 MiB-aligned slot is 0x48000000, reserved; next is 0x50000000.
        Assert.Equal(ResourceStatus.Ok, a.Allocate(0x8000000, 0x8000000, a.Root, out PhysicalRange first));
        Assert.Equal(R(0x50000000, 0x58000000), first);
        // A small request still fits in the unaligned space below the hole.
        Assert.Equal(ResourceStatus.Ok, a.Allocate(0x200000, 0x200000, a.Root, out PhysicalRange small));
        Assert.Equal(R(0x40400000, 0x40600000), small);
        Assert.Equal(ResourceStatus.Ok, a.Allocate(0x8000000, 0x8000000, R(0x60000000, 0x80000000), out PhysicalRange within));
        Assert.Equal(R(0x60000000, 0x68000000), within);
        Assert.Equal(ResourceStatus.Ok, a.Allocate(0x8000000, 0x8000000, a.Root, out PhysicalRange next));
        Assert.Equal(R(0x58000000, 0x60000000), next);
    }

    [Fact]
    public void Touching_busy_ranges_merge()
    {
        ResourceAllocator a = ResourceAllocator.Create(R(0x0, 0x100000));
        for (int i = 0; i < 16; i++)
            Assert.Equal(ResourceStatus.Ok, a.Allocate(0x10000, 0x10000, a.Root, out _));
        Assert.Equal(1, a.BusyCount);
        Assert.Equal(ResourceStatus.NoSpace, a.Allocate(0x1000, 0x1000, a.Root, out _));
    }

    [Fact]
    public void Bad_requests()
    {
        ResourceAllocator a = ResourceAllocator.Create(R(0x1000, 0x10000));
        Assert.Equal(ResourceStatus.BadRequest, a.Allocate(0, 0x1000, a.Root, out _));
        Assert.Equal(ResourceStatus.BadRequest, a.Allocate(0x1000, 0x3000, a.Root, out _));
        Assert.Equal(ResourceStatus.OutsideRoot, a.Reserve(R(0x0, 0x2000)));
        Assert.Equal(ResourceStatus.Ok, a.Reserve(R(0x2000, 0x3000)));
        Assert.Equal(ResourceStatus.Conflict, a.Reserve(R(0x2800, 0x4000)));
        Assert.Equal(ResourceStatus.NoSpace, a.Allocate(0x10000, 0x1000, a.Root, out _));
    }

    /// <summary>Against a brute-force model over a small page universe: the lowest aligned
    /// start whose pages are all free and inside the range.</summary>
    [Fact]
    public void First_fit_matches_a_brute_force_model()
    {
        const int Pages = 256;
        var gen = Gen.Select(
            Gen.Select(Gen.Int[0, Pages - 1], Gen.Int[1, 16]).Array[0, 6],
            Gen.Select(Gen.Int[1, 24], Gen.Int[0, 4], Gen.Int[0, Pages], Gen.Int[0, Pages]).Array[1, 40]);
        gen.Sample((reserves, requests) =>
        {
            ResourceAllocator a = ResourceAllocator.Create(R(0, Pages * 0x1000UL));
            var busy = new bool[Pages];
            foreach ((int start, int length) in reserves)
            {
                int end = System.Math.Min(Pages, start + length);
                bool free = Enumerable.Range(start, end - start).All(p => !busy[p]);
                ResourceStatus s = a.Reserve(R((ulong)start * 0x1000, (ulong)end * 0x1000));
                Assert.Equal(free ? ResourceStatus.Ok : ResourceStatus.Conflict, s);
                if (free)
                    for (int p = start; p < end; p++) busy[p] = true;
            }
            foreach ((int size, int alignShift, int lowRaw, int highRaw) in requests)
            {
                int align = 1 << alignShift, low = System.Math.Min(lowRaw, highRaw), high = System.Math.Max(lowRaw, highRaw);
                int expected = -1;
                for (int s = (low + align - 1) / align * align; s + size <= high; s += align)
                {
                    if (Enumerable.Range(s, size).All(p => !busy[p])) { expected = s; break; }
                }
                ResourceStatus status = a.Allocate((ulong)size * 0x1000, (ulong)align * 0x1000, R((ulong)low * 0x1000, (ulong)high * 0x1000), out PhysicalRange got);
                if (expected < 0)
                {
                    Assert.True(status is ResourceStatus.NoSpace or ResourceStatus.TableFull);
                    continue;
                }
                if (status == ResourceStatus.TableFull)
                    return;
                Assert.Equal(ResourceStatus.Ok, status);
                Assert.Equal(R((ulong)expected * 0x1000, (ulong)(expected + size) * 0x1000), got);
                for (int p = expected; p < expected + size; p++) busy[p] = true;
            }
        }, iter: 300);
    }
}
