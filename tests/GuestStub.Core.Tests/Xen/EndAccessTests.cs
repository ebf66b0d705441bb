using System.Threading;
using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using Xunit;

namespace GuestStub.Tests.Xen;

/// <summary>
/// Ending a grant's foreign access races with Xen mapping it (Linux
/// gnttab_end_foreign_access_ref_v1): the flags are cleared with a compare-and-swap, so a map that
/// lands between the read and the clear is never wiped out. The memory here plays Xen: it sets
/// GTF_reading just before the swap, as a map on another CPU would.
/// </summary>
public unsafe class EndAccessTests
{
    private const ushort Permit = GrantEntryV1.GtfPermitAccess;

    [Fact]
    public void An_unmapped_grant_is_ended_and_only_its_flags_are_cleared()
    {
        GrantEntryV1 entry = Entry(Permit);
        var mem = new XenMapsDuringSwap { MapsBeforeSwap = 0 };
        Assert.True(GrantTable.EndAccess(ref mem, &entry));
        Assert.Equal(0, entry.Flags);
        Assert.Equal((ushort)3, entry.Domid);
        Assert.Equal(0x12345u, entry.Frame);
    }

    [Fact]
    public void A_grant_xen_maps_between_the_read_and_the_swap_is_not_ended()
    {
        GrantEntryV1 entry = Entry(Permit);
        var mem = new XenMapsDuringSwap { MapsBeforeSwap = 1 };
        Assert.False(GrantTable.EndAccess(ref mem, &entry));
        Assert.Equal(Permit | GrantEntryV1.GtfReading, entry.Flags);
    }

    [Fact]
    public void A_mapped_grant_is_not_ended()
    {
        GrantEntryV1 entry = Entry(Permit | GrantEntryV1.GtfWriting | GrantEntryV1.GtfReading);
        var mem = new XenMapsDuringSwap();
        Assert.False(GrantTable.EndAccess(ref mem, &entry));
        Assert.Equal(0, mem.Swaps);
    }

    [Fact]
    public void Flags_that_keep_changing_give_up_within_a_bound()
    {
        GrantEntryV1 entry = Entry(Permit);
        var mem = new XenMapsDuringSwap { TouchesForever = true };
        Assert.False(GrantTable.EndAccess(ref mem, &entry));
        Assert.True(mem.Swaps <= 64, $"{mem.Swaps} swaps");
    }

    private static GrantEntryV1 Entry(ushort flags) => new() { Flags = flags, Domid = 3, Frame = 0x12345 };

    /// <summary>Memory whose compare-and-swap first lets "Xen" change the entry: it maps the grant
    /// (<see cref="MapsBeforeSwap"/> times), or flips an unrelated flag every time.</summary>
    private struct XenMapsDuringSwap : IGuestMemory
    {
        public int MapsBeforeSwap;
        public bool TouchesForever;
        public int Swaps;

        public ulong AtomicCompareExchange(ulong* location, ulong expected, ulong value)
        {
            Swaps++;
            if (MapsBeforeSwap-- > 0)
                *location |= GrantEntryV1.GtfReading;
            else if (TouchesForever)
                *location ^= (ulong)GrantEntryV1.GtfReadonly;
            return Interlocked.CompareExchange(ref *location, value, expected);
        }

        public byte* Page(ulong gfn) => null;
        public bool BeginNormalAccess(PhysicalRange range) => true;
        public void EndNormalAccess(PhysicalRange range) { }
        public void WriteBarrier() { }
        public ulong AtomicExchange(ulong* location, ulong value) => Interlocked.Exchange(ref *location, value);
        public ulong AtomicOr(ulong* location, ulong bits) => Interlocked.Or(ref *location, bits);
        public ulong AtomicAndNot(ulong* location, ulong bits) => Interlocked.And(ref *location, ~bits);
    }
}
