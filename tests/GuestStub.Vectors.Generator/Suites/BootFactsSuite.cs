using System;
using System.IO;
using GuestStub.Memory;
using GuestStub.Tests.TestSupport;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// tests/vectors/boot-facts.vec: valid trees (the .dts fixtures compiled by dtc, the trees Xen
/// 4.17 built for dom0 and a dom0less domU, small trees written inline) with the boot facts they
/// must give, as BootFactsText renders them; and trees whose facts must be refused. The facts
/// were BootFactsTests' assertions; written out whole here, every line is now checked.
/// </summary>
public static class BootFactsSuite
{
    public const string FileName = "boot-facts.vec";

    public static byte[] Build()
    {
        var file = new VectorFileWriter();
        void Add(string name, byte[] blob, string expected, (ulong Start, ulong Size)? dtb = null, (ulong Start, ulong Size)? image = null)
        {
            VectorFileWriter.Record r = file.Add(VectorSuite.BootFacts, name).Bytes(VectorTag.Blob, blob);
            if (dtb is (ulong ds, ulong dz))
                r.Pair(VectorTag.DtbRange, ds, dz);
            if (image is (ulong @is, ulong iz))
                r.Pair(VectorTag.ImageRange, @is, iz);
            r.Text(VectorTag.Expected, expected).End();
        }

        byte[] qemu = Dtc.CompileFixture("qemu-virt-gicv3");
        Add("QEMU virt without Xen", qemu,
            "memory 0x40000000-0x80000000\n" +
            $"reserved {Hex.Range(0x48000000, 0x48000000 + (ulong)qemu.Length)}\n" +
            "reserved 0x40080000-0x40090000\n" +
            "console.path /pl011@9000000\n" +
            "console.node pl011@9000000\n" +
            "console.compatible arm,pl011\n" +
            "console.base 0x9000000\n" +
            "hypervisor none\n" +
            "psci hvc\n",
            dtb: (0x48000000, (ulong)qemu.Length), image: (0x40080000, 0x10000));
        Add("hypervisor node without regions", Dtc.CompileFixture("xen-no-region"),
            "memory 0x40000000-0x60000000\n" +
            "console none\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version none\n" +
            "hypervisor.evtchn 0x1 0xf 0xf08\n" +
            "hypervisor.evtchn.intid 31\n" +
            "psci none\n");
        Add("hypervisor node with region 0 only", Dtc.CompileFixture("xen-region0-only"),
            "memory 0x40000000-0x48000000\n" +
            "bootargs console=hvc0\n" +
            "console none\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version 4.17\n" +
            "hypervisor.region 0x38000000-0x39000000\n" +
            "hypervisor.evtchn 0x1 0xf 0xf08\n" +
            "hypervisor.evtchn.intid 31\n" +
            "psci hvc\n");
        Add("hypervisor node with many regions and every kind of reservation", Dtc.CompileFixture("xen-many-regions"),
            // The disabled memory bank is left out; reserved: the map, /reserved-memory (static
            // only, the disabled one skipped), then the DTB.
            "memory 0x40000000-0x48000000\n" +
            "memory 0x880000000-0x8c0000000\n" +
            "memory 0xc0000000-0xd0000000\n" +
            "reserved 0x48000000-0x48100000\n" +
            "reserved 0x7fff0000-0x80000000\n" +
            "reserved 0x42000000-0x42200000\n" +
            "reserved 0x4fe00000-0x4fe02000\n" +
            "bootargs console=ttyAMA0 earlycon loglevel=8\n" +
            "console.path serial0\n" +
            "console.options 115200n8\n" +
            "console.node pl011@9000000\n" +
            "console.compatible arm,pl011\n" +
            "console.base 0x9000000\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version 4.17\n" +
            "hypervisor.region 0x0-0x8000000\n" +
            "hypervisor.region 0xc000000-0x30000000\n" +
            "hypervisor.region 0x40000000-0x47e00000\n" +
            "hypervisor.region 0xd0000000-0xe6000000\n" +
            "hypervisor.region 0xe7800000-0xec000000\n" +
            "hypervisor.region 0xf1200000-0xfd000000\n" +
            "hypervisor.region 0x100000000-0x500000000\n" +
            "hypervisor.region 0x580000000-0x600000000\n" +
            "hypervisor.region 0x680000000-0x700000000\n" +
            "hypervisor.region 0x780000000-0x10000000000\n" +
            "hypervisor.evtchn 0x1 0xf 0xf08\n" +
            "hypervisor.evtchn.intid 31\n" +
            "psci smc\n",
            dtb: (0x4fe00000, 0x2000));
        Add("hypervisor node under #address-cells 1 and #size-cells 1", Dtc.CompileFixture("xen-cells-1-1"),
            "memory 0x80000000-0xa0000000\n" +
            "console.path /serial@1c090000\n" +
            "console.node serial@1c090000\n" +
            "console.compatible arm,pl011\n" +
            "console.base 0x1c090000\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version 4.16\n" +
            "hypervisor.region 0x38000000-0x39000000\n" +
            "hypervisor.region 0xa0000000-0xb0000000\n" +
            "hypervisor.evtchn 0x1 0xf 0xf08\n" +
            "hypervisor.evtchn.intid 31\n" +
            "psci none\n");
        Add("hypervisor node with a unit address and its own interrupt parent", Dtc.CompileFixture("xen-unit-address"),
            "memory 0x40000000-0x80000000\n" +
            "console none\n" +
            "hypervisor.node hypervisor@38000000\n" +
            "hypervisor.version 4.17\n" +
            "hypervisor.region 0x38000000-0x39000000\n" +
            "hypervisor.region 0x48000000-0x100000000\n" +
            "hypervisor.region 0x200000000-0x10000000000\n" +
            "hypervisor.evtchn 0x1 0xf 0xf08\n" +
            "hypervisor.evtchn.intid 31\n" +
            "psci none\n");

        // Issue 13: bad input in the hypervisor node is dropped piece by piece, as Linux does. The
        // regions are kept as read: a pair whose end passes 2^64 has no range ("START+SIZE"), is
        // named with its cause and the byte offset of its reg entry, and registration drops it
        // alone; an interrupt that cannot be resolved is a fact with its cause and offset, not an
        // error. The hypervisor node's reg value is at 0x1b0 of the compiled fixture (fdtdump -d),
        // 16 bytes an entry: region 2 at 0x1d0.
        Add("hypervisor region whose end passes 2^64, kept as read", Dtc.CompileFixture("xen-region-overflow"),
            "memory 0x40000000-0x48000000\n" +
            "bootargs console=hvc0\n" +
            "console none\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version 4.17\n" +
            "hypervisor.region 0x38000000-0x39000000\n" +
            "hypervisor.region 0x48000000-0x58000000\n" +
            "hypervisor.region 0xffffffffffe00000+0x400000 dropped: address + size passes 2^64 at byte offset 0x1d0\n" +
            "hypervisor.evtchn 0x1 0x0 0xf08\n" +
            "hypervisor.evtchn.intid 16\n" +
            "psci hvc\n");
        // A region ending exactly at 2^64 is dropped too: its exclusive end is not representable
        // (PhysicalRange), where Linux, with an inclusive end, keeps it. reg's value is at 0x90,
        // so region 1 at 0xa0.
        Add("hypervisor regions ending at 2^64 and one byte short of it", Dtc.CompileSource(
            "/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; hypervisor { compatible = \"xen,xen\"; " +
            "reg = <0 0x38000000 0 0x1000000>, <0xffffffff 0xfffff000 0 0x1000>, <0xffffffff 0xfffff000 0 0xfff>; }; };"),
            "console none\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version none\n" +
            "hypervisor.region 0x38000000-0x39000000\n" +
            "hypervisor.region 0xfffffffffffff000+0x1000 dropped: address + size passes 2^64 at byte offset 0xa0\n" +
            "hypervisor.region 0xfffffffffffff000-0xffffffffffffffff\n" +
            "psci none\n");
        // The hypervisor node's FDT_BEGIN_NODE is at 0x150 of the compiled fixture (fdtdump -d).
        Add("hypervisor interrupt without an interrupt parent, unresolved", Dtc.CompileFixture("xen-unresolved-irq"),
            "memory 0x40000000-0x48000000\n" +
            "bootargs console=hvc0\n" +
            "console none\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version 4.17\n" +
            "hypervisor.region 0x38000000-0x39000000\n" +
            "hypervisor.region 0x48000000-0x58000000\n" +
            "hypervisor.evtchn unresolved required node or property missing at byte offset 0x150\n" +
            "psci hvc\n");
        // The interrupt-parent's value is at 0x70 (fdtdump -d).
        Add("hypervisor interrupt parent that names no node, unresolved", Dtc.CompileSource(
            "/dts-v1/; / { hypervisor { compatible = \"xen,xen\"; interrupt-parent = <7>; interrupts = <1 15 0xf08>; }; };"),
            "console none\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version none\n" +
            "hypervisor.evtchn unresolved phandle refers to no node at byte offset 0x70\n" +
            "psci none\n");

        // The trees Xen 4.17 built (tests/fixtures/xen), placed where its log says it loaded them.
        byte[] dom0 = File.ReadAllBytes(Dtc.Fixture("xen", "dom0.dtb"));
        Add("Xen 4.17 dom0 tree as captured", dom0,
            "memory 0x70000000-0x78000000\n" +
            $"reserved {Hex.Range(0x77e00000, 0x77e00000 + (ulong)dom0.Length)}\n" +
            "bootargs console=hvc0\n" +
            "console none\n" +
            "hypervisor.node hypervisor\n" +
            "hypervisor.version 4.17\n" +
            "hypervisor.region 0x40200000-0x40240000\n" +
            "hypervisor.region 0x40400000-0x70000000\n" +
            "hypervisor.region 0x78000000-0x80000000\n" +
            "hypervisor.evtchn 0x1 0x0 0xf08\n" +
            "hypervisor.evtchn.intid 16\n" +
            "psci hvc\n",
            dtb: (0x77e00000, (ulong)dom0.Length));
        byte[] domu = File.ReadAllBytes(Dtc.Fixture("xen", "domu.dtb"));
        Add("Xen 4.17 dom0less domU tree as captured", domu, DomuFacts(domu), dtb: (0x47e00000, (ulong)domu.Length));

        // Small trees.
        {
            var f = new FdtBuilder().Begin("").Cells("#address-cells", 1).Cells("#size-cells", 1);
            var reg = new uint[2 * (PhysicalRangeList.Capacity + 1)];
            for (int i = 0; i < PhysicalRangeList.Capacity + 1; i++)
                (reg[2 * i], reg[2 * i + 1]) = ((uint)i * 0x1000000, 0x100000);
            int memory = f.Mark;
            f.Begin("memory").String("device_type", "memory").Cells("reg", reg).EndNode().EndNode().End();
            Add("more memory banks than the facts hold", f.Build(),
                $"facts error more than 32 entries in a boot-facts table at byte offset {Hex.Of((ulong)f.At(memory))}\n");
        }
        Add("unknown PSCI method", Dtc.CompileSource("/dts-v1/; / { psci { method = \"svc\"; }; };"),
            "facts error malformed property value at byte offset 0x58\n");
        Add("memory node under bad root cells never reaches the facts",
            Dtc.CompileSource("/dts-v1/; / { #address-cells = <0>; memory@0 { device_type = \"memory\"; reg = <0 0x1000>; }; };"),
            "open error bad #address-cells, #size-cells or #interrupt-cells at byte offset 0x4c\n");
        Add("stdout-path to a missing node leaves the console unresolved",
            Dtc.CompileSource("/dts-v1/; / { chosen { stdout-path = \"/nowhere:9600\"; bootargs = \"x\"; }; };"),
            "bootargs x\n" +
            "console.path /nowhere\n" +
            "console.options 9600\n" +
            "console.node not-found\n" +
            "hypervisor none\n" +
            "psci none\n");
        return file.Build();
    }

    /// <summary>The domU's facts (tests/fixtures/xen/domu.xen.log: RAM 0x40000000-0x48000000, the
    /// fixed guest layout's region 0 at 0x38000000 and PPI 31, extended regions
    /// 0x48000000->0x100000000 and 0x200000000->0x10000000000).</summary>
    private static string DomuFacts(byte[] domu) =>
        "memory 0x40000000-0x48000000\n" +
        $"reserved {Hex.Range(0x47e00000, 0x47e00000 + (ulong)domu.Length)}\n" +
        "bootargs console=hvc0\n" +
        "console none\n" +
        "hypervisor.node hypervisor\n" +
        "hypervisor.version 4.17\n" +
        "hypervisor.region 0x38000000-0x39000000\n" +
        "hypervisor.region 0x48000000-0x100000000\n" +
        "hypervisor.region 0x200000000-0x10000000000\n" +
        "hypervisor.evtchn 0x1 0xf 0xf08\n" +
        "hypervisor.evtchn.intid 31\n" +
        "psci hvc\n";
}
