using System;
using System.Linq;
using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// The modelled Xen 4.17's cross-domain hypercalls, called directly through Core's wrappers the
/// way the stub calls them: grant maps of another domain's grant (GNTST_ codes in Xen's order,
/// GTF_reading/GTF_writing in the granter's entry, the mapping sharing the granter's page),
/// XENMEM_add_to_physmap_batch(gmfn_foreign), XENMEM_acquire_resource(grant table), and the
/// books that catch what is left across domains. Xen sources: common/grant_table.c,
/// common/memory.c, arch/arm/mm.c, arch/arm/p2m.c.
/// </summary>
public unsafe class CrossDomainModelTests : IDisposable
{
    private const ulong Dom0Ram = 0x5000_0000;
    private const ulong DomURam = 0x4000_0000;
    private const ulong Scratch = 0x4800_0000; // a hole in dom0's space
    private const ulong DomUTable = 0x3800_0000; // the domU's region 0
    private const ulong DomUPage = 0x4000_5000;

    private readonly SimulatedMachine _machine = new();
    private readonly SimulatedXen _dom0;
    private readonly SimulatedXen _domU;
    private SimulatedHypercalls _hc0;
    private SimulatedHypercalls _hcU;
    private SimulatedMemory _memU;

    public CrossDomainModelTests()
    {
        _dom0 = _machine.Add(new SimulatedXen(SimulatedXenOptions.ForDom0(new[] { Range(Dom0Ram, 0x100_0000) })));
        _domU = _machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(new[] { Range(DomURam, 0x100_0000) }, 1)));
        _hc0 = new SimulatedHypercalls(_dom0);
        _hcU = new SimulatedHypercalls(_domU);
        _memU = new SimulatedMemory(_domU);
        Assert.False(XenMemory.AddToPhysmap(ref _hcU, XenMapSpace.GrantTable, 0, DomUTable >> PageSize.Shift).IsFailure);
    }

    public void Dispose() => _machine.Dispose();

    private GrantEntryV1* DomUEntry(uint gref) => (GrantEntryV1*)_domU.Page(DomUTable >> PageSize.Shift) + gref;

    /// <summary>The domU grants its page at 0x40005000 to <paramref name="to"/> at ref 9, as the frontend does.</summary>
    private void Grant(ushort to = 0, bool readOnly = false)
    {
        var mem = new SimulatedMemory(_domU);
        GrantTable.GrantAccess(ref mem, DomUEntry(9), to, (uint)(DomUPage >> PageSize.Shift), readOnly);
    }

    private XenFailure Map(ulong host, ushort dom, uint gref, bool readOnly, out uint handle) =>
        GrantTable.MapGrantRef(ref _hc0, host, dom, gref, readOnly, out handle);

    private static short Status(XenFailure f) => f.IsFailure ? (short)f.Value : GrantStatus.Okay;

    [Fact]
    public void Dom0_maps_a_domUs_grant_and_shares_its_page()
    {
        _domU.Page(DomUPage >> PageSize.Shift)[100] = 0x5A;
        Grant();
        Assert.False(Map(Scratch, 1, 9, false, out uint handle).IsFailure);
        byte* view = _dom0.Page(Scratch >> PageSize.Shift);
        Assert.Equal(0x5A, view[100]);
        view[200] = 0xA5; // a write through the mapping is the domU's
        Assert.Equal(0xA5, _domU.Page(DomUPage >> PageSize.Shift)[200]);
        Assert.Equal(GrantEntryV1.GtfPermitAccess | GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting, DomUEntry(9)->Flags);
        Assert.Contains(_dom0.CheckBooks(), p => p.StartsWith("grant mapping handle ") && p.EndsWith("dom 1's ref 9 at gfn 0x48000"));
        Assert.Contains("grant ref 9 still mapped by dom 0 (1 read-write, 0 read-only)", _domU.CheckBooks());
        Assert.Contains("grant entry 9 still marked in use (flags 0x19: GTF_reading/GTF_writing)", _domU.CheckBooks());

        Assert.False(GrantTable.UnmapGrantRef(ref _hc0, Scratch, handle).IsFailure);
        Assert.Equal(GrantEntryV1.GtfPermitAccess, DomUEntry(9)->Flags);
        Assert.Equal("hole", _dom0.Describe(Scratch >> PageSize.Shift));
        Assert.True(GrantTable.EndAccess(ref _memU, DomUEntry(9)));
        Assert.False(XenMemory.RemoveFromPhysmap(ref _hcU, DomUTable >> PageSize.Shift).IsFailure);
        Assert.Empty(_machine.CheckBooks());
    }

    [Fact]
    public void Writing_clears_with_the_last_writable_pin_and_reading_with_the_last_pin()
    {
        Grant();
        Assert.False(Map(Scratch, 1, 9, false, out uint rw).IsFailure);
        Assert.False(Map(Scratch + 0x1000, 1, 9, true, out uint ro).IsFailure);
        const ushort both = GrantEntryV1.GtfPermitAccess | GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting;
        Assert.Equal(both, DomUEntry(9)->Flags);
        // The frontend cannot end access while either mapping stands (Linux gnttab_end_foreign_access_ref).
        Assert.False(GrantTable.EndAccess(ref _memU, DomUEntry(9)));
        Assert.False(GrantTable.UnmapGrantRef(ref _hc0, Scratch, rw).IsFailure);
        Assert.Equal(GrantEntryV1.GtfPermitAccess | GrantEntryV1.GtfReading, DomUEntry(9)->Flags);
        Assert.False(GrantTable.EndAccess(ref _memU, DomUEntry(9)));
        Assert.False(GrantTable.UnmapGrantRef(ref _hc0, Scratch + 0x1000, ro).IsFailure);
        Assert.Equal(GrantEntryV1.GtfPermitAccess, DomUEntry(9)->Flags);
        Assert.True(GrantTable.EndAccess(ref _memU, DomUEntry(9)));
    }

    [Fact]
    public void Map_grant_ref_answers_with_xens_status_codes()
    {
        Grant();
        Assert.Equal(GrantStatus.BadDomain, Status(Map(Scratch, 7, 9, false, out _)));            // no such domain
        Assert.Equal(GrantStatus.BadDomain, Status(Map(Scratch, DomainId.Self, 9, false, out _))); // rcu_lock_domain_by_id
        Assert.Equal(GrantStatus.BadGntref, Status(Map(Scratch, 1, 512, false, out _)));          // past the table's one frame
        Assert.Equal(GrantStatus.GeneralError, Status(Map(Scratch, 1, 10, false, out _)));        // never granted
        Grant(to: 2);
        Assert.Equal(GrantStatus.GeneralError, Status(Map(Scratch, 1, 9, false, out _)));         // granted to another domain
        Grant(readOnly: true);
        Assert.Equal(GrantStatus.GeneralError, Status(Map(Scratch, 1, 9, false, out _)));         // write-pin of a r/o grant
        Assert.False(Map(Scratch, 1, 9, true, out uint ro).IsFailure);                            // read-only is fine
        Assert.Equal(GrantEntryV1.GtfPermitAccess | GrantEntryV1.GtfReadonly | GrantEntryV1.GtfReading, DomUEntry(9)->Flags);
        Assert.False(GrantTable.UnmapGrantRef(ref _hc0, Scratch, ro).IsFailure);
        // Nothing left pinned or marked by the refusals.
        Assert.Equal(GrantEntryV1.GtfPermitAccess | GrantEntryV1.GtfReadonly, DomUEntry(9)->Flags);
        Assert.DoesNotContain(_domU.CheckBooks(), p => p.Contains("still mapped by"));
    }

    [Fact]
    public void Unmap_grant_ref_refuses_a_bad_handle_and_a_wrong_address()
    {
        Grant();
        Assert.False(Map(Scratch, 1, 9, false, out uint handle).IsFailure);
        XenFailure bad = GrantTable.UnmapGrantRef(ref _hc0, Scratch, handle + 100);
        Assert.Equal(GrantStatus.BadHandle, (short)bad.Value);
        XenFailure wrong = GrantTable.UnmapGrantRef(ref _hc0, Scratch + 0x1000, handle);
        Assert.Equal(GrantStatus.GeneralError, (short)wrong.Value);
        Assert.Equal(GrantEntryV1.GtfPermitAccess | GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting, DomUEntry(9)->Flags);
        Assert.False(GrantTable.UnmapGrantRef(ref _hc0, Scratch, handle).IsFailure);
        Assert.Equal(GrantStatus.BadHandle, (short)GrantTable.UnmapGrantRef(ref _hc0, Scratch, handle).Value); // once only
    }

    [Fact]
    public void A_foreign_batch_maps_each_frame_or_names_why_not_in_its_errs_entry()
    {
        _domU.Page(DomUPage >> PageSize.Shift)[7] = 0x77;
        Span<ulong> idx = stackalloc ulong[] { DomUPage >> PageSize.Shift, 0x100_0000, DomUTable >> PageSize.Shift };
        Span<ulong> gfn = stackalloc ulong[] { Scratch >> PageSize.Shift, (Scratch >> PageSize.Shift) + 1, (Scratch >> PageSize.Shift) + 2 };
        Span<int> err = stackalloc int[3];
        Assert.False(ForeignMemory.MapBatch(ref _hc0, 1, idx, gfn, err).IsFailure);
        // RAM: mapped, shared; a hole: -EINVAL; a xenheap page the domU maps (its grant frame): mapped.
        Assert.Equal(new[] { 0, -(int)XenErrno.EINVAL, 0 }, err.ToArray());
        Assert.Equal(0x77, _dom0.Page(gfn[0])[7]);
        Assert.Equal("hole", _dom0.Describe(gfn[1]));
        Assert.StartsWith("a foreign mapping of dom 1's grant frame 0", _dom0.Describe(gfn[2]));
        Assert.Contains(_dom0.CheckBooks(), p => p == $"gfn 0x48000 outside RAM maps a foreign mapping of dom 1's {_domU.Describe(DomUPage >> PageSize.Shift)}");
        Assert.False(XenMemory.RemoveFromPhysmap(ref _hc0, gfn[0]).IsFailure);
        Assert.False(XenMemory.RemoveFromPhysmap(ref _hc0, gfn[2]).IsFailure);
        Assert.Empty(_dom0.CheckBooks());
        Assert.Equal(-(long)XenErrno.ENOENT, XenMemory.RemoveFromPhysmap(ref _hc0, gfn[0]).Value);
    }

    [Theory]
    [InlineData(DomainId.Self, XenErrno.EINVAL)] // names the caller: od == d (xenmem_add_to_physmap_one)
    [InlineData((ushort)0, XenErrno.ESRCH)]      // its own id: get_pg_owner "Cannot specify itself"
    [InlineData((ushort)9, XenErrno.ESRCH)]      // no such domain
    public void A_foreign_map_naming_no_other_domain_is_refused_per_frame(ushort foreign, XenErrno errno)
    {
        Span<ulong> idx = stackalloc ulong[] { Dom0Ram >> PageSize.Shift };
        Span<ulong> gfn = stackalloc ulong[] { Scratch >> PageSize.Shift };
        Span<int> err = stackalloc int[1];
        Assert.False(ForeignMemory.MapBatch(ref _hc0, foreign, idx, gfn, err).IsFailure);
        Assert.Equal(-(int)errno, err[0]);
        Assert.Equal("hole", _dom0.Describe(gfn[0]));
    }

    [Fact]
    public void Only_the_control_domain_maps_foreign_pages_and_resources()
    {
        Assert.Equal(-(int)XenErrno.EPERM, MapOneErr(ref _hcU, 0, Dom0Ram >> PageSize.Shift, 0x4800_0));
        Assert.Equal(-(long)XenErrno.EPERM, ForeignMemory.AcquireGrantTableFrame(ref _hcU, 0, 0, 0x48000).Value);
    }

    private static int MapOneErr(ref SimulatedHypercalls hc, ushort foreign, ulong idx, ulong gfn)
    {
        Span<ulong> i = stackalloc ulong[] { idx };
        Span<ulong> g = stackalloc ulong[] { gfn };
        Span<int> err = stackalloc int[1];
        Assert.False(ForeignMemory.MapBatch(ref hc, foreign, i, g, err).IsFailure);
        return err[0];
    }

    [Fact]
    public void Acquire_resource_maps_the_domUs_grant_entries_at_dom0s_frame()
    {
        Grant();
        Assert.False(ForeignMemory.AcquireGrantTableFrame(ref _hc0, 1, 0, Scratch >> PageSize.Shift).IsFailure);
        var entries = (GrantEntryV1*)_dom0.Page(Scratch >> PageSize.Shift);
        Assert.Equal((uint)(DomUPage >> PageSize.Shift), entries[9].Frame);
        Assert.Equal(0, entries[9].Domid);
        Assert.Equal(GrantEntryV1.GtfPermitAccess, entries[9].Flags);
        Assert.False(XenMemory.RemoveFromPhysmap(ref _hc0, Scratch >> PageSize.Shift).IsFailure);
        // A frame past the one the domU has: the table grows, up to its maximum.
        Assert.False(ForeignMemory.AcquireGrantTableFrame(ref _hc0, 1, 5, Scratch >> PageSize.Shift).IsFailure);
        Assert.Equal(6, _domU.GrantFrameCount);
        Assert.False(XenMemory.RemoveFromPhysmap(ref _hc0, Scratch >> PageSize.Shift).IsFailure);
        Assert.Equal(-(long)XenErrno.EINVAL, ForeignMemory.AcquireGrantTableFrame(ref _hc0, 1, 64, Scratch >> PageSize.Shift).Value);
    }

    [Theory]
    [InlineData((ushort)0, 1u, 0u, 0u, XenErrno.EPERM)]          // itself (rcu_lock_remote_domain_by_id)
    [InlineData(DomainId.Self, 1u, 0u, 0u, XenErrno.ESRCH)]      // DOMID_SELF names no remote domain
    [InlineData((ushort)9, 1u, 0u, 0u, XenErrno.ESRCH)]
    [InlineData((ushort)1, 1u, 1u, 0u, XenErrno.EINVAL)]         // the status frames: no grant v2 on Arm
    [InlineData((ushort)1, 7u, 0u, 0u, XenErrno.EOPNOTSUPP)]     // no such resource type
    [InlineData((ushort)1, 1u, 0u, 1u, XenErrno.EINVAL)]         // pad must be zero
    public void Acquire_resource_checks_its_arguments_as_xen_does(ushort domid, uint type, uint id, uint pad, XenErrno errno)
    {
        ulong target = Scratch >> PageSize.Shift;
        XenMemAcquireResource args = default;
        args.Domid = domid;
        args.Type = (ushort)type;
        args.Id = id;
        args.Pad = pad;
        args.NrFrames = 1;
        args.FrameList = (ulong)&target;
        long result = _hc0.Hypercall(HypercallNumber.MemoryOp, XenMemoryOp.AcquireResource, (ulong)&args, 0, 0, 0);
        Assert.Equal(-(long)errno, result);
        Assert.Equal("hole", _dom0.Describe(target));
    }

    [Fact]
    public void Acquire_resource_without_a_frame_list_gives_the_resources_size()
    {
        XenMemAcquireResource args = default;
        args.Domid = 1;
        args.Type = XenMemAcquireResource.TypeGrantTable;
        Assert.Equal(0, _hc0.Hypercall(HypercallNumber.MemoryOp, XenMemoryOp.AcquireResource, (ulong)&args, 0, 0, 0));
        Assert.Equal(64u, args.NrFrames);
    }

    [Fact]
    public void Removing_a_grant_mapping_with_remove_from_physmap_is_not_how_it_is_undone()
    {
        Grant();
        Assert.False(Map(Scratch, 1, 9, false, out uint handle).IsFailure);
        // get_page_from_gfn: the page is the domU's, not dom0's.
        Assert.Equal(-(long)XenErrno.ENOENT, XenMemory.RemoveFromPhysmap(ref _hc0, Scratch >> PageSize.Shift).Value);
        Assert.False(GrantTable.UnmapGrantRef(ref _hc0, Scratch, handle).IsFailure);
    }

    [Fact]
    public void An_interdomain_channel_left_open_is_in_both_domains_books()
    {
        Assert.False(EventChannelOp.AllocUnbound(ref _hcU, 0, out uint domUPort).IsFailure);
        Assert.False(EventChannelOp.BindInterdomain(ref _hc0, 1, domUPort, out uint dom0Port).IsFailure);
        Assert.Contains($"event channel port {dom0Port} interdomain (remote dom 1 port {domUPort}) still open", _dom0.CheckBooks());
        Assert.Contains($"event channel port {domUPort} interdomain (remote dom 0 port {dom0Port}) still open", _domU.CheckBooks());
        // dom0 closes its end: the domU's goes back to unbound (Xen evtchn_close), still open.
        Assert.False(EventChannelOp.Close(ref _hc0, dom0Port).IsFailure);
        Assert.DoesNotContain(_dom0.CheckBooks(), p => p.Contains("event channel"));
        Assert.Contains($"event channel port {domUPort} unbound (remote dom 0) still open", _domU.CheckBooks());
        Assert.False(EventChannelOp.Close(ref _hcU, domUPort).IsFailure);
        Assert.DoesNotContain(_domU.CheckBooks(), p => p.Contains("event channel"));
    }

    [Fact]
    public void A_static_channel_is_no_leak_while_bound_as_xen_bound_it_and_is_one_once_closed()
    {
        using var machine = new SimulatedMachine(new SimulatedMachineOptions { StaticEventChannels = new[] { StaticEventChannel.Dom0ToDomU(1) } });
        SimulatedXen dom0 = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDom0(new[] { Range(Dom0Ram, 0x100_0000) })));
        SimulatedXen domU = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(new[] { Range(DomURam, 0x100_0000) }, 1)));
        machine.BindStaticEventChannels();
        Assert.Empty(machine.CheckBooks());
        var hc = new SimulatedHypercalls(domU);
        Assert.False(EventChannelOp.Status(ref hc, 10, out EvtchnStatus status).IsFailure);
        Assert.Equal((EvtchnStatus.Interdomain, (ushort)0, 11u), (status.Status, status.RemoteDom, status.RemotePort));
        Assert.False(EventChannelOp.Close(ref hc, 10).IsFailure);
        Assert.Equal(new[]
        {
            "d0: static event channel 11 (to dom 1 port 10) is port 11 unbound (remote dom 1)",
            "d1: static event channel 10 (to dom 0 port 11) is port 10 closed",
        }, machine.CheckBooks());
    }

    private static PhysicalRange Range(ulong start, ulong size)
    {
        PhysicalRange.TryCreate(start, size, out PhysicalRange r);
        return r;
    }
}
