using System;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

/// <summary>Navigation, values and cells over the .dts fixtures and built blobs.</summary>
public class NavigationTests
{
    private static string Str(ReadOnlySpan<byte> s) => Encoding.ASCII.GetString(s);

    [Fact]
    public void Root_children_of_qemu_virt_in_document_order()
    {
        Assert.True(Dtb.Open(Tools.Dtb("qemu-virt-gicv3"), out Dtb tree).IsOk);
        Assert.Equal("", Str(tree.NameOf(tree.Root)));
        Assert.True(tree.TryGetFirstChild(tree.Root, out DtNode first));
        Assert.Equal("psci", Str(tree.NameOf(first)));
        Assert.True(tree.TryGetNextSibling(first, out DtNode second));
        Assert.Equal("memory@40000000", Str(tree.NameOf(second)));
        Assert.Equal("memory", Str(tree.BaseNameOf(second)));
    }

    [Theory]
    [InlineData("/", "")]
    [InlineData("/pl011@9000000", "pl011@9000000")]
    [InlineData("/pl011", "pl011@9000000")]
    [InlineData("//pl011", "pl011@9000000")]
    [InlineData("/gpio-keys/poweroff", "poweroff")]
    [InlineData("/intc/its", "its@8080000")]
    [InlineData("/intc@8000000/its@8080000", "its@8080000")]
    [InlineData("/memory", "memory@40000000")]
    [InlineData("/chosen", "chosen")]
    public void Paths_resolve_with_and_without_unit_addresses(string path, string expectedName)
    {
        Assert.True(Dtb.Open(Tools.Dtb("qemu-virt-gicv3"), out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode(Encoding.ASCII.GetBytes(path), out DtNode node));
        Assert.Equal(expectedName, Str(tree.NameOf(node)));
    }

    [Theory]
    [InlineData("/pl011@9000001")]
    [InlineData("/pl01")]
    [InlineData("/nothere")]
    [InlineData("")]
    [InlineData("nosuchalias")]
    [InlineData("/psci/x")]
    public void Missing_paths_are_not_found(string path)
    {
        Assert.True(Dtb.Open(Tools.Dtb("qemu-virt-gicv3"), out Dtb tree).IsOk);
        Assert.False(tree.TryFindNode(Encoding.ASCII.GetBytes(path), out _));
    }

    [Fact]
    public void Alias_paths_resolve()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-many-regions"), out Dtb tree).IsOk);
        Assert.True(tree.TryGetAlias("serial0"u8, out ReadOnlySpan<byte> target));
        Assert.Equal("/pl011@9000000", Str(target));
        Assert.True(tree.TryFindNode("serial0"u8, out DtNode node));
        Assert.Equal("pl011@9000000", Str(tree.NameOf(node)));
    }

    [Fact]
    public void Find_by_compatible_visits_every_match_in_order()
    {
        Assert.True(Dtb.Open(Tools.Dtb("qemu-virt-gicv3"), out Dtb tree).IsOk);
        int count = 0;
        DtNode node = default;
        while (tree.TryFindCompatible("virtio,mmio"u8, node, out node))
            count++;
        Assert.Equal(32, count);
        Assert.True(tree.TryFindCompatible("arm,primecell"u8, default, out DtNode primecell));
        Assert.Equal("pl061@9030000", Str(tree.NameOf(primecell)));
        Assert.True(tree.TryFindCompatible("linux,dummy-virt"u8, default, out DtNode root));
        Assert.Equal(tree.Root.Offset, root.Offset);
        Assert.False(tree.TryFindCompatible("arm,pl01"u8, default, out _));
    }

    [Fact]
    public void String_lists_and_cells()
    {
        Assert.True(Dtb.Open(Tools.Dtb("strings-and-bytes"), out Dtb tree).IsOk);
        Assert.True(tree.TryGetValue(tree.Root, "list"u8, out ReadOnlySpan<byte> value));
        var list = new DtStringList(value);
        Assert.True(list.IsWellFormed);
        Assert.Equal(3, list.Count);
        Assert.True(list.TryGet(2, out ReadOnlySpan<byte> third));
        Assert.Equal("three", Str(third));
        Assert.True(list.Contains("two"u8));
        Assert.False(list.Contains("tw"u8));
        Assert.True(tree.TryGetU64(tree.Root, "u64"u8, out ulong u64));
        Assert.Equal(0x123456789abcdef0UL, u64);
        Assert.True(tree.TryGetValue(tree.Root, "cells"u8, out value));
        Assert.True(DtCells.TryReadCell(value, 1, out uint cell));
        Assert.Equal(0xffffffffu, cell);
        Assert.False(DtCells.TryReadCell(value, 3, out _));
        Assert.False(tree.TryGetU32(tree.Root, "cells"u8, out _));
        Assert.True(tree.TryGetString(tree.Root, "text"u8, out ReadOnlySpan<byte> text));
        Assert.Equal("tab\there \"quoted\" back\\slash", Str(text));
        Assert.False(tree.TryGetString(tree.Root, "list"u8, out _));       // three strings, not one
        Assert.True(tree.TryGetProperty(tree.Root, "empty-prop"u8, out DtProperty empty));
        Assert.Equal(0, tree.PropertyValue(empty).Length);
    }

    [Fact]
    public void Unterminated_string_list_never_yields_its_tail()
    {
        var list = new DtStringList("ab\0cd"u8);
        Assert.False(list.IsWellFormed);
        Assert.True(list.TryGetNext(out ReadOnlySpan<byte> first));
        Assert.Equal("ab", Str(first));
        Assert.False(list.TryGetNext(out _));
    }

    [Fact]
    public void Parents_and_depths()
    {
        Assert.True(Dtb.Open(Tools.Dtb("strings-and-bytes"), out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode("/a/b/c/d/e@2"u8, out DtNode e2));
        Assert.Equal(5, tree.DepthOf(e2));
        Assert.True(tree.TryGetParent(e2, out DtNode d));
        Assert.Equal("d", Str(tree.NameOf(d)));
        Assert.True(tree.TryFindNode("/cpus"u8, out DtNode cpus));
        Assert.True(tree.TryGetParent(cpus, out DtNode root));
        Assert.Equal(tree.Root.Offset, root.Offset);
        Assert.False(tree.TryGetParent(tree.Root, out _));
    }

    [Fact]
    public void Reg_with_size_cells_zero_has_zero_sizes()
    {
        Assert.True(Dtb.Open(Tools.Dtb("strings-and-bytes"), out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode("/cpus/cpu@1"u8, out DtNode cpu));
        Assert.True(tree.GetReg(cpu, out DtReg reg).IsOk);
        Assert.Equal((1, 0), (reg.AddressCells, reg.SizeCells));
        Assert.Equal(1, reg.Count);
        Assert.True(reg.Get(0, out ulong address, out ulong size).IsOk);
        Assert.Equal((1UL, 0UL), (address, size));
    }

    [Fact]
    public void Reg_uses_the_parent_cells_and_defaults()
    {
        Assert.True(Dtb.Open(Tools.Dtb("qemu-virt-gicv3"), out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode("/intc/its"u8, out DtNode its));
        Assert.True(tree.GetReg(its, out DtReg reg).IsOk);
        Assert.True(reg.GetRange(0, out PhysicalRange range).IsOk);
        Assert.Equal((0x8080000UL, 0x20000UL), (range.Start, range.SizeBytes));
        Assert.True(tree.TryFindNode("/intc"u8, out DtNode intc));
        Assert.True(tree.GetReg(intc, out reg).IsOk);
        Assert.Equal(2, reg.Count);
        Assert.Equal(DtbError.NotFound, reg.Get(2, out _, out _).Error);
        Assert.Equal(DtbError.NotFound, tree.GetReg(tree.Root, out _).Error);
    }

    [Fact]
    public void Interrupts_follow_the_inherited_interrupt_parent()
    {
        Assert.True(Dtb.Open(Tools.Dtb("qemu-virt-gicv3"), out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode("/pl011"u8, out DtNode uart));
        Assert.True(tree.GetInterrupts(uart, out DtInterrupts irqs).IsOk);
        Assert.Equal("intc@8000000", Str(tree.NameOf(irqs.Controller)));
        Assert.Equal((3, 1), (irqs.CellsPerInterrupt, irqs.Count));
        Assert.True(irqs.TryGet(0, out DtInterruptSpecifier spec));
        Assert.Equal((0u, 1u, 4u), (spec.Cell0, spec.Cell1, spec.Cell2));
        Assert.True(spec.TryGetGicIntId(out uint intId));
        Assert.Equal(33u, intId);
        Assert.Equal(DtbError.NotFound, tree.GetInterrupts(tree.Root, out _).Error);
    }

    [Fact]
    public void Reservation_map_entries()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-many-regions"), out Dtb tree).IsOk);
        Assert.Equal(2, tree.ReservationCount);
        Assert.True(tree.TryGetReservation(1, out PhysicalRange r));
        Assert.Equal((0x7fff0000UL, 0x10000UL), (r.Start, r.SizeBytes));
        Assert.False(tree.TryGetReservation(2, out _));
        Assert.False(tree.TryGetReservation(-1, out _));
    }

    [Fact]
    public void Phandles_and_availability()
    {
        Assert.True(Dtb.Open(Tools.Dtb("qemu-virt-gicv3"), out Dtb tree).IsOk);
        Assert.True(tree.TryFindByPhandle(0x8002, out DtNode intc));
        Assert.Equal("intc@8000000", Str(tree.NameOf(intc)));
        Assert.False(tree.TryFindByPhandle(0, out _));
        Assert.False(tree.TryFindByPhandle(0x7777, out _));
        Assert.True(tree.IsAvailable(intc));
        Assert.True(tree.TryFindNode("/chosen"u8, out DtNode chosen));
        Assert.True(tree.TryGetChosen(out DtNode chosen2));
        Assert.Equal(chosen.Offset, chosen2.Offset);
    }
}
