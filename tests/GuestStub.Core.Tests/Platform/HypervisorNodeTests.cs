using System;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Tests.ExtendedRegions;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.Platform;

/// <summary>
/// Issue 13's hypervisor-node cases: a region whose end passes 2^64 is dropped on its own (as
/// Linux drops it) rather than failing the tree, and an interrupt that cannot be resolved is
/// recorded as unresolved, with its cause, rather than failing the tree.
/// </summary>
public class HypervisorNodeTests
{
    /// <summary>Boot facts of a tree that must open and read without error.</summary>
    private static void Read(in Dtb tree, out BootFacts facts)
    {
        DtbStatus status = BootFacts.Read(tree, default, default, out facts);
        Assert.True(status.IsOk, $"{status.Error} at {status.Offset}");
        Assert.True(facts.Hypervisor.Found);
    }

    private static Dtb Open(byte[] blob)
    {
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        return tree;
    }

    /// <summary>A root with 2/2 cells, a GIC (phandle 1, 3 interrupt cells) and 128 MiB of RAM,
    /// then a hypervisor node whose properties <paramref name="hypervisor"/> writes.</summary>
    private static FdtBuilder Tree(Action<FdtBuilder> hypervisor, bool rootInterruptParent = true)
    {
        var f = new FdtBuilder().Begin("").Cells("#address-cells", 2).Cells("#size-cells", 2);
        if (rootInterruptParent)
            f.Cells("interrupt-parent", 1);
        f.Begin("intc").Cells("phandle", 1).Cells("#interrupt-cells", 3).EndNode()
            .Begin("memory@40000000").String("device_type", "memory").Cells("reg", 0, 0x40000000, 0, 0x8000000).EndNode()
            .Begin("hypervisor").String("compatible", "xen,xen-4.17", "xen,xen");
        hypervisor(f);
        return f.EndNode().EndNode().End();
    }

    [Fact]
    public void An_extended_region_ending_past_2_64_is_kept_raw_and_dropped_alone_by_registration()
    {
        Read(Open(Tools.Dtb("xen-region-overflow")), out BootFacts facts);
        Assert.Equal(3, facts.Hypervisor.Regions.Count);
        Assert.False(facts.Hypervisor.Regions.EndOverflows(1));
        Assert.True(facts.Hypervisor.Regions.EndOverflows(2));
        Assert.False(facts.Hypervisor.Regions.TryGetRange(2, out _));
        facts.Hypervisor.Regions.Get(2, out ulong start, out ulong size);
        Assert.Equal((0xffffffff_ffe00000UL, 0x400000UL), (start, size));

        var occupied = new OccupiedSpace { Ram = facts.Memory, Reserved = facts.Reserved };
        ExtendedRegionSet.Register(facts.Hypervisor.Regions, occupied, AddressableRange.BelowLimit(1UL << 39), out ExtendedRegionSet set);
        Assert.Equal(ExtendedRegionStatus.Ok, set.Status);
        Assert.True(set.IsAccepted(0));
        Assert.Equal(RegionRejection.EndOverflow, set.Rejection(1));
        Assert.True(PhysicalRange.TryFromBounds(0x48000000, 0x58000000, out PhysicalRange resource));
        Assert.Equal(resource, set.Resource);
        Assert.True(PhysicalRange.TryCreate(0x38000000, 0x1000000, out PhysicalRange grant));
        Assert.Equal(grant, set.GrantRegion);

        var sink = new ReportSink();
        GuestStub.Report.ExtendedRegionReport.Lines(ref sink, set);
        Assert.Equal(
            "report ext.region 0x48000000-0x58000000\n" +
            "report ext.region 0xffffffffffe00000+0x400000\n" +
            "report ext.rejected 0xffffffffffe00000+0x400000 end-overflow\n" +
            "report ext.clamp 0x0-0x8000000000\n" +
            "report ext.resource 0x48000000-0x58000000\n", sink.ToString());
    }

    [Fact]
    public void A_region_0_ending_past_2_64_is_no_region_0_and_the_extended_regions_still_count()
    {
        byte[] blob = Tree(h => h.Cells("reg", 0xffffffff, 0xfff00000, 0, 0x200000, 0, 0x48000000, 0, 0x10000000)
            .Cells("interrupts", 1, 15, 0xf08)).Build();
        Read(Open(blob), out BootFacts facts);
        Assert.True(facts.Hypervisor.Regions.EndOverflows(0));
        ExtendedRegionSet.Register(facts.Hypervisor.Regions, new OccupiedSpace { Ram = facts.Memory }, AddressableRange.BelowLimit(1UL << 39),
            out ExtendedRegionSet set);
        Assert.True(set.GrantRegion.IsEmpty);
        Assert.Equal(ExtendedRegionStatus.Ok, set.Status);
        Assert.Equal(0x48000000UL, set.Resource.Start);
    }

    [Fact]
    public void An_entry_ending_exactly_at_2_64_has_no_range_and_one_byte_below_it_has()
    {
        byte[] blob = Tree(h => h.Cells("reg", 0, 0x38000000, 0, 0x1000000, 0xffffffff, 0xfffff000, 0, 0x1000, 0xffffffff, 0xfffff000, 0, 0xfff)).Build();
        Read(Open(blob), out BootFacts facts);
        Assert.True(facts.Hypervisor.Regions.EndOverflows(1));
        Assert.False(facts.Hypervisor.Regions.EndOverflows(2));
        Assert.True(facts.Hypervisor.Regions.TryGetRange(2, out PhysicalRange top));
        Assert.Equal(ulong.MaxValue, top.End);
    }

    [Fact]
    public void Other_nodes_stay_strict_about_an_end_past_2_64()
    {
        var f = new FdtBuilder().Begin("").Cells("#address-cells", 2).Cells("#size-cells", 2).Begin("memory@0")
            .String("device_type", "memory");
        int at = f.Mark;
        f.Cells("reg", 0xffffffff, 0xfffff000, 0, 0x2000).EndNode().EndNode().End();
        byte[] blob = f.Build();
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        DtbStatus status = BootFacts.Read(tree, default, default, out _);
        Assert.Equal((DtbError.AddressOverflow, f.At(at) + FdtLayout.PropHeaderSize), (status.Error, status.Offset));
    }

    [Fact]
    public void Interrupts_without_an_interrupt_parent_are_unresolved_not_an_error()
    {
        Read(Open(Tools.Dtb("xen-unresolved-irq")), out BootFacts facts);
        Assert.Equal(EventChannelInterruptStatus.Unresolved, facts.Hypervisor.EventChannelInterruptStatus);
        Assert.False(facts.Hypervisor.HasEventChannelInterrupt);
        Assert.Equal((DtbError.NotFound, facts.Hypervisor.Node.Offset),
            (facts.Hypervisor.EventChannelInterruptError.Error, facts.Hypervisor.EventChannelInterruptError.Offset));
        // Everything else about the node is still read.
        Assert.Equal("4.17"u8.ToArray(), facts.Hypervisor.Version.ToArray());
        Assert.Equal(2, facts.Hypervisor.Regions.Count);
        Assert.Equal(1, facts.Memory.Count);
        Assert.Equal(PsciConduit.Hvc, facts.Psci);
    }

    public static TheoryData<string, DtbError> UnresolvedCases() => new()
    {
        { "no interrupt-parent", DtbError.NotFound },
        { "dangling phandle", DtbError.BadPhandle },
        { "interrupt-parent not one cell", DtbError.BadValue },
        { "controller without #interrupt-cells", DtbError.BadCells },
        { "length not a multiple of the specifier", DtbError.BadValue },
        { "empty interrupts", DtbError.BadValue },
    };

    [Theory]
    [MemberData(nameof(UnresolvedCases))]
    public void Every_way_an_interrupt_fails_to_resolve_is_recorded_with_its_cause(string name, DtbError error)
    {
        FdtBuilder f = name switch
        {
            "no interrupt-parent" => Tree(h => h.Cells("interrupts", 1, 15, 0xf08), rootInterruptParent: false),
            "dangling phandle" => Tree(h => h.Cells("interrupt-parent", 7).Cells("interrupts", 1, 15, 0xf08)),
            "interrupt-parent not one cell" => Tree(h => h.Cells("interrupt-parent", 1, 1).Cells("interrupts", 1, 15, 0xf08)),
            "controller without #interrupt-cells" => new FdtBuilder().Begin("").Cells("interrupt-parent", 1)
                .Begin("intc").Cells("phandle", 1).EndNode()
                .Begin("hypervisor").String("compatible", "xen,xen").Cells("interrupts", 1, 15, 0xf08).EndNode().EndNode().End(),
            "length not a multiple of the specifier" => Tree(h => h.Cells("interrupts", 1, 15)),
            "empty interrupts" => Tree(h => h.Prop("interrupts", Array.Empty<byte>())),
            _ => throw new ArgumentException(name),
        };
        Read(Open(f.Build()), out BootFacts facts);
        Assert.Equal(EventChannelInterruptStatus.Unresolved, facts.Hypervisor.EventChannelInterruptStatus);
        Assert.Equal(error, facts.Hypervisor.EventChannelInterruptError.Error);
    }

    [Fact]
    public void No_interrupts_property_is_absent_and_a_good_one_is_resolved()
    {
        Read(Open(Tree(h => h.Cells("reg", 0, 0x38000000, 0, 0x1000000)).Build()), out BootFacts facts);
        Assert.Equal(EventChannelInterruptStatus.Absent, facts.Hypervisor.EventChannelInterruptStatus);
        Read(Open(Tree(h => h.Cells("interrupts", 1, 15, 0xf08)).Build()), out facts);
        Assert.Equal(EventChannelInterruptStatus.Resolved, facts.Hypervisor.EventChannelInterruptStatus);
        Assert.True(facts.Hypervisor.EventChannelInterrupt.TryGetGicIntId(out uint intId));
        Assert.Equal(31u, intId);
    }
}
