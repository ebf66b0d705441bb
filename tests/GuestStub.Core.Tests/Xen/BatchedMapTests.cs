using System;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using Xunit;

namespace GuestStub.Tests.Xen;

/// <summary>
/// The batched map wrappers: GNTTABOP_map_grant_ref / unmap_grant_ref with a count, and
/// XENMEM_add_to_physmap_batch at Xen's u16 limit. The transport here plays Xen's side of the
/// ABI: it reads the arguments as Xen would (the op, the count, the array in the caller's memory)
/// and writes each entry's status, so the tests see exactly one call per batch and what the
/// wrapper makes of the answers.
/// </summary>
public unsafe class BatchedMapTests
{
    [Fact]
    public void A_batch_of_grant_maps_is_one_call_with_the_count_and_every_entry_gets_its_handle()
    {
        var ops = new GnttabMapGrantRef[300];
        for (int i = 0; i < ops.Length; i++)
            ops[i] = new GnttabMapGrantRef { HostAddr = 0x48000000UL + ((ulong)i << 12), Flags = GnttabMapGrantRef.GntmapHostMap, Ref = 16 + (uint)i, Dom = 1 };
        var xen = new GrantXen();
        Assert.False(GrantTable.MapGrantRefs(ref xen, ops, out int failed).IsFailure);
        Assert.Equal(-1, failed);
        Assert.Equal((1, GrantTableOp.MapGrantRef, 300UL), (xen.Calls, xen.LastCommand, xen.LastCount));
        for (int i = 0; i < ops.Length; i++)
            Assert.Equal((GrantStatus.Okay, 1000u + (uint)i), (ops[i].Status, ops[i].Handle));
    }

    [Fact]
    public void A_refused_entry_is_named_and_the_others_keep_their_mappings()
    {
        var ops = new GnttabMapGrantRef[8];
        for (int i = 0; i < ops.Length; i++)
            ops[i] = new GnttabMapGrantRef { HostAddr = 0x48000000UL + ((ulong)i << 12), Flags = GnttabMapGrantRef.GntmapHostMap, Ref = 16 + (uint)i, Dom = 1 };
        var xen = new GrantXen { RefuseEntry = 5, Refusal = GrantStatus.BadGntref };
        XenFailure f = GrantTable.MapGrantRefs(ref xen, ops, out int failed);
        Assert.Equal(5, failed);
        Assert.Equal("GNTTABOP_map_grant_ref idx=21 dom=1: GNTST_bad_gntref (-3)", Text(f));
        Assert.Equal(GrantStatus.Okay, ops[6].Status);
        Assert.Equal(1006u, ops[6].Handle);
    }

    [Fact]
    public void A_grant_call_xen_refuses_whole_is_its_errno_and_an_empty_batch_makes_no_call()
    {
        var ops = new GnttabMapGrantRef[2];
        var xen = new GrantXen { CallResult = -14 };
        XenFailure f = GrantTable.MapGrantRefs(ref xen, ops, out int failed);
        Assert.Equal("GNTTABOP_map_grant_ref: -EFAULT (-14)", Text(f));
        Assert.Equal(-1, failed);

        xen = new GrantXen();
        Assert.False(GrantTable.MapGrantRefs(ref xen, Span<GnttabMapGrantRef>.Empty, out _).IsFailure);
        Assert.False(GrantTable.UnmapGrantRefs(ref xen, Span<GnttabUnmapGrantRef>.Empty, out _).IsFailure);
        Assert.Equal(0, xen.Calls);
    }

    [Fact]
    public void A_batch_of_grant_unmaps_is_one_call_and_a_refused_entry_names_its_page()
    {
        var ops = new GnttabUnmapGrantRef[40];
        for (int i = 0; i < ops.Length; i++)
            ops[i] = new GnttabUnmapGrantRef { HostAddr = 0x48000000UL + ((ulong)i << 12), Handle = (uint)i };
        var xen = new GrantXen { RefuseEntry = 33, Refusal = GrantStatus.BadHandle };
        XenFailure f = GrantTable.UnmapGrantRefs(ref xen, ops, out int failed);
        Assert.Equal((1, GrantTableOp.UnmapGrantRef, 40UL), (xen.Calls, xen.LastCommand, xen.LastCount));
        Assert.Equal(33, failed);
        Assert.Equal("GNTTABOP_unmap_grant_ref gfn=0x48021: GNTST_bad_handle (-4)", Text(f));
        Assert.Equal(GrantStatus.Okay, ops[39].Status);
    }

    [Fact]
    public void A_foreign_batch_is_cut_at_xens_u16_size()
    {
        var idxs = new ulong[ForeignMemory.MaxBatch + 1];
        var gfns = new ulong[idxs.Length];
        var errs = new int[idxs.Length];
        errs[^1] = 7;
        var xen = new BatchXen();
        Assert.False(ForeignMemory.MapBatch(ref xen, 1, idxs, gfns, errs).IsFailure);
        Assert.Equal(65535, ForeignMemory.MaxBatch);
        Assert.Equal(ForeignMemory.MaxBatch, (int)xen.Size);
        // The frame past the limit was not asked for: its errs entry is as the caller left it.
        Assert.Equal(7, errs[^1]);
    }

    private static string Text(XenFailure f)
    {
        var sink = new GuestStub.Tests.ExtendedRegions.ReportSink();
        f.Write(ref sink);
        return sink.ToString();
    }

    /// <summary>Xen's grant_table_op for a count of entries: each gets GNTST_okay and a handle
    /// (1000 + its index), or <see cref="Refusal"/> at <see cref="RefuseEntry"/>.</summary>
    private struct GrantXen : IXenHypercalls
    {
        public int Calls;
        public ulong LastCommand;
        public ulong LastCount;
        public long CallResult;
        public int RefuseEntry;
        public short Refusal;

        public GrantXen() => RefuseEntry = -1;

        public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
        {
            Assert.Equal(HypercallNumber.GrantTableOp, op);
            Calls++;
            LastCommand = a0;
            LastCount = a2;
            if (CallResult != 0)
                return CallResult;
            for (int i = 0; i < (int)a2; i++)
            {
                short status = i == RefuseEntry ? Refusal : GrantStatus.Okay;
                if (a0 == GrantTableOp.MapGrantRef)
                {
                    var m = (GnttabMapGrantRef*)a1 + i;
                    m->Status = status;
                    m->Handle = 1000 + (uint)i;
                }
                else
                {
                    ((GnttabUnmapGrantRef*)a1 + i)->Status = status;
                }
            }
            return 0;
        }
    }

    /// <summary>Xen's XENMEM_add_to_physmap_batch: records the size, maps every frame asked for.</summary>
    private struct BatchXen : IXenHypercalls
    {
        public ushort Size;

        public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
        {
            var b = (XenAddToPhysmapBatch*)a1;
            Assert.Equal((HypercallNumber.MemoryOp, XenMemoryOp.AddToPhysmapBatch), (op, a0));
            Size = b->Size;
            for (int i = 0; i < b->Size; i++)
                ((int*)b->Errs)[i] = 0;
            return 0;
        }
    }
}
