using System;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

public class BootFactsTests
{
    private static string Str(ReadOnlySpan<byte> s) => Encoding.ASCII.GetString(s);

    private static PhysicalRange R(ulong start, ulong size)
    {
        Assert.True(PhysicalRange.TryCreate(start, size, out PhysicalRange r));
        return r;
    }

    private static (ulong, ulong)[] Ranges(in PhysicalRangeList list)
    {
        var result = new (ulong, ulong)[list.Count];
        for (int i = 0; i < list.Count; i++)
            result[i] = (list[i].Start, list[i].SizeBytes);
        return result;
    }

    private static (ulong, ulong)[] Ranges(in AddressSizeList list)
    {
        var result = new (ulong, ulong)[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            list.Get(i, out ulong start, out ulong size);
            result[i] = (start, size);
        }
        return result;
    }

    [Fact]
    public void Qemu_virt_without_xen()
    {
        Assert.True(Dtb.Open(Tools.Dtb("qemu-virt-gicv3"), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, R(0x48000000, (ulong)tree.TotalSize), R(0x40080000, 0x10000), out BootFacts facts).IsOk);
        Assert.Equal(new[] { (0x40000000UL, 0x40000000UL) }, Ranges(facts.Memory));
        Assert.Equal(new[] { (0x48000000UL, (ulong)tree.TotalSize), (0x40080000UL, 0x10000UL) }, Ranges(facts.Reserved));
        Assert.False(facts.HasBootargs);
        Assert.True(facts.Console.Found);
        Assert.Equal("/pl011@9000000", Str(facts.Console.Path));
        Assert.Equal("arm,pl011", Str(facts.Console.Compatible));
        Assert.True(facts.Console.HasBaseAddress);
        Assert.Equal(0x9000000UL, facts.Console.BaseAddress);
        Assert.False(facts.Hypervisor.Found);
        Assert.Equal(PsciConduit.Hvc, facts.Psci);
    }

    [Fact]
    public void Hypervisor_without_regions()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-no-region"), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, default, default, out BootFacts facts).IsOk);
        Assert.True(facts.Hypervisor.Found);
        Assert.Equal(0, facts.Hypervisor.Version.Length);
        Assert.Equal(0, facts.Hypervisor.Regions.Count);
        Assert.True(facts.Hypervisor.HasEventChannelInterrupt);
        Assert.True(facts.Hypervisor.EventChannelInterrupt.TryGetGicIntId(out uint intId));
        Assert.Equal(31u, intId);
        Assert.Equal(0, facts.Reserved.Count);
        Assert.False(facts.Console.HasPath);
        Assert.Equal(PsciConduit.None, facts.Psci);
    }

    [Fact]
    public void Hypervisor_with_region_0_only()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-region0-only"), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, default, default, out BootFacts facts).IsOk);
        Assert.Equal("4.17", Str(facts.Hypervisor.Version));
        Assert.Equal(new[] { (0x38000000UL, 0x1000000UL) }, Ranges(facts.Hypervisor.Regions));
        Assert.True(facts.HasBootargs);
        Assert.Equal("console=hvc0", Str(facts.Bootargs));
        Assert.Equal(PsciConduit.Hvc, facts.Psci);
    }

    [Fact]
    public void Hypervisor_with_many_regions_and_every_kind_of_reservation()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-many-regions"), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, R(0x4fe00000, 0x2000), default, out BootFacts facts).IsOk);
        Assert.Equal(new[]
        {
            (0x0UL, 0x8000000UL), (0xc000000UL, 0x24000000UL), (0x40000000UL, 0x7e00000UL),
            (0xd0000000UL, 0x16000000UL), (0xe7800000UL, 0x4800000UL), (0xf1200000UL, 0xbe00000UL),
            (0x100000000UL, 0x400000000UL), (0x580000000UL, 0x80000000UL), (0x680000000UL, 0x80000000UL),
            (0x780000000UL, 0xf880000000UL),
        }, Ranges(facts.Hypervisor.Regions));
        Assert.Equal(new[] { (0x40000000UL, 0x8000000UL), (0x880000000UL, 0x40000000UL), (0xc0000000UL, 0x10000000UL) },
            Ranges(facts.Memory));     // the disabled bank is left out
        Assert.Equal(new[] { (0x48000000UL, 0x100000UL), (0x7fff0000UL, 0x10000UL), (0x42000000UL, 0x200000UL), (0x4fe00000UL, 0x2000UL) },
            Ranges(facts.Reserved));   // map, /reserved-memory (static only, disabled skipped), DTB
        Assert.Equal("serial0", Str(facts.Console.Path));
        Assert.Equal("115200n8", Str(facts.Console.Options));
        Assert.True(facts.Console.Found);
        Assert.Equal(0x9000000UL, facts.Console.BaseAddress);
        Assert.Equal("console=ttyAMA0 earlycon loglevel=8", Str(facts.Bootargs));
        Assert.Equal(PsciConduit.Smc, facts.Psci);
    }

    [Fact]
    public void Hypervisor_with_cells_1_1()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-cells-1-1"), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, default, default, out BootFacts facts).IsOk);
        Assert.Equal("4.16", Str(facts.Hypervisor.Version));
        Assert.Equal(new[] { (0x38000000UL, 0x1000000UL), (0xa0000000UL, 0x10000000UL) }, Ranges(facts.Hypervisor.Regions));
        Assert.Equal(new[] { (0x80000000UL, 0x20000000UL) }, Ranges(facts.Memory));
        Assert.Equal(0x1c090000UL, facts.Console.BaseAddress);
    }

    [Fact]
    public void Hypervisor_with_unit_address_and_own_interrupt_parent()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-unit-address"), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, default, default, out BootFacts facts).IsOk);
        Assert.Equal("hypervisor@38000000", Str(tree.NameOf(facts.Hypervisor.Node)));
        Assert.True(tree.TryFindNode("/hypervisor"u8, out DtNode byPath));
        Assert.Equal(facts.Hypervisor.Node.Offset, byPath.Offset);
        Assert.Equal(3, facts.Hypervisor.Regions.Count);
        Assert.Equal((0x200000000UL, 0xfe00000000UL), Ranges(facts.Hypervisor.Regions)[2]);
        Assert.Equal(1u, facts.Hypervisor.EventChannelInterrupt.Cell0);
        Assert.Equal(15u, facts.Hypervisor.EventChannelInterrupt.Cell1);
        Assert.Equal(0xf08u, facts.Hypervisor.EventChannelInterrupt.Cell2);
    }

    [Fact]
    public void Too_many_memory_banks()
    {
        var f = new FdtBuilder().Begin("").Cells("#address-cells", 1).Cells("#size-cells", 1);
        var reg = new uint[2 * (PhysicalRangeList.Capacity + 1)];
        for (int i = 0; i < PhysicalRangeList.Capacity + 1; i++)
            (reg[2 * i], reg[2 * i + 1]) = ((uint)i * 0x1000000, 0x100000);
        int memory = f.Mark;
        f.Begin("memory").String("device_type", "memory").Cells("reg", reg).EndNode().EndNode().End();
        Assert.True(Dtb.Open(f.Build(), out Dtb tree).IsOk);
        DtbStatus status = BootFacts.Read(tree, default, default, out _);
        Assert.Equal((DtbError.TooMany, f.At(memory)), (status.Error, status.Offset));
    }

    [Fact]
    public void Unknown_psci_method()
    {
        byte[] blob = Tools.CompileSource("/dts-v1/; / { psci { method = \"svc\"; }; };");
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        Assert.Equal(DtbError.BadValue, BootFacts.Read(tree, default, default, out _).Error);
    }

    [Fact]
    public void Memory_node_under_bad_root_cells_never_reaches_boot_facts()
    {
        // The validator checks every reg against its parent's cells: such a tree does not open.
        byte[] blob = Tools.CompileSource("/dts-v1/; / { #address-cells = <0>; memory@0 { device_type = \"memory\"; reg = <0 0x1000>; }; };");
        Assert.Equal(DtbError.BadCells, Dtb.Open(blob, out _).Error);
    }

    [Fact]
    public void Stdout_path_to_a_missing_node_leaves_the_console_unresolved()
    {
        byte[] blob = Tools.CompileSource("/dts-v1/; / { chosen { stdout-path = \"/nowhere:9600\"; bootargs = \"x\"; }; };");
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, default, default, out BootFacts facts).IsOk);
        Assert.True(facts.Console.HasPath);
        Assert.False(facts.Console.Found);
        Assert.Equal("/nowhere", Str(facts.Console.Path));
    }
}
