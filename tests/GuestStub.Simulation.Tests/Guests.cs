using System;
using GuestStub.Simulation;
using GuestStub.Tests.TestSupport;

namespace GuestStub.Simulation.Tests;

/// <summary>The device trees of the boots under test, as Xen 4.17 builds them on QEMU virt
/// (shared/PLATFORM.md): a dom0 (1:1 RAM, region 0 = 64 grant frames, extended regions) and a
/// dom0less domU (region 0 at 0x38000000, 16 MiB).</summary>
public static class Guests
{
    private const string Dom0Source = """
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>;
            memory@50000000 { device_type = "memory"; reg = <0x0 0x50000000 0x0 0x20000000>; };
            gic: interrupt-controller@8000000 {
                compatible = "arm,gic-v3"; interrupt-controller; #interrupt-cells = <3>;
                reg = <0x0 0x8000000 0x0 0x10000>, <0x0 0x80a0000 0x0 0xf60000>;
            };
            hypervisor {
                compatible = "xen,xen-4.17", "xen,xen";
                reg = %REG%;
                interrupts = <1 0 0xf08>;
                interrupt-parent = <&gic>;
            };
            chosen { %BOOTARGS% };
            %NODES%
        };
        """;

    private const string DomUSource = """
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>;
            memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x8000000>; };
            gic: interrupt-controller@3001000 {
                compatible = "arm,gic-v3"; interrupt-controller; #interrupt-cells = <3>;
                reg = <0x0 0x3001000 0x0 0x10000>, <0x0 0x3020000 0x0 0x1000000>;
            };
            hypervisor {
                compatible = "xen,xen-4.17", "xen,xen";
                reg = <0x0 0x38000000 0x0 0x1000000>, <0x0 0x48000000 0x0 0xb8000000>;
                interrupts = <1 15 0xf08>;
                interrupt-parent = <&gic>;
            };
            chosen { %BOOTARGS% };
        };
        """;

    private const string NoRegionSource = """
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>;
            memory@50000000 { device_type = "memory"; reg = <0x0 0x50000000 0x0 0x20000000>; };
            gic: interrupt-controller@8000000 {
                compatible = "arm,gic-v3"; interrupt-controller; #interrupt-cells = <3>;
                reg = <0x0 0x8000000 0x0 0x10000>, <0x0 0x80a0000 0x0 0xf60000>;
            };
            hypervisor { compatible = "xen,xen-4.17", "xen,xen"; interrupts = <1 0 0xf08>; interrupt-parent = <&gic>; };
        };
        """;

    private static byte[] Compile(string source, string? bootargs, string nodes = "") =>
        Tools.CompileSource(source.Replace("%BOOTARGS%", bootargs is null ? "" : $"bootargs = \"{bootargs}\";").Replace("%NODES%", nodes));

    public const string Dom0Regions = "<0x0 0x40200000 0x0 0x40000>, <0x0 0x40400000 0x0 0xfc00000>, <0x0 0x70000000 0x0 0x10000000>";

    public static byte[] Dom0(string? bootargs = null, string regions = Dom0Regions) =>
        Compile(Dom0Source.Replace("%REG%", regions), bootargs);

    /// <summary>Dom0's tree with the hypervisor node's <paramref name="regions"/> and more nodes
    /// under the root (<paramref name="nodes"/>, device-tree source).</summary>
    public static byte[] Dom0With(string regions, string nodes) => Compile(Dom0Source.Replace("%REG%", regions), null, nodes);
    public static byte[] DomU(string? bootargs = "gueststub.domid=1") => Compile(DomUSource, bootargs);
    public static byte[] Dom0NoRegion() => Compile(NoRegionSource, null);

    /// <summary>Dom0's tree with the hypervisor node naming PPI <paramref name="ppi"/> (INTID 16 + ppi).</summary>
    public static byte[] Dom0WithEventPpi(uint ppi) =>
        Compile(Dom0Source.Replace("%REG%", Dom0Regions).Replace("interrupts = <1 0 0xf08>;", $"interrupts = <1 {ppi} 0xf08>;"), null);

    /// <summary>Dom0's tree with a hypervisor node that names no interrupt.</summary>
    public static byte[] Dom0WithoutInterrupt() =>
        Compile(Dom0Source.Replace("%REG%", Dom0Regions).Replace("interrupts = <1 0 0xf08>;", "").Replace("interrupt-parent = <&gic>;", ""), null);

    public static SimulatedBootResult BootDom0(byte[] dtb, Action<SimulatedXen>? prepare = null, uint maxFrames = 64) =>
        SimulatedBoot.Run(dtb, null, ram => SimulatedXenOptions.ForDom0(ram, maxFrames), prepare);

    /// <summary>A domU as it boots on a real machine: beside the stub as dom0 (so its frontend
    /// meets a backend), on one simulated machine. <paramref name="prepare"/> gets the domU's
    /// model; the result and its books are the domU's.</summary>
    public static SimulatedBootResult BootDomU(byte[] dtb, Action<SimulatedXen>? prepare = null, uint maxFrames = 64, ushort domid = 1)
    {
        using MachineBoot boot = Machines.Boot(new[] { (domid, dtb) }, prepare: m =>
        {
            if (m.Options.DomainId == domid)
                prepare?.Invoke(m);
        }, maxFrames: maxFrames);
        return boot.DomU(domid);
    }

    /// <summary>What a domU alone reports for dom0's reply: nothing within the frontend's bound,
    /// on the port it allocated for dom0 (port 1 when nothing else is open).</summary>
    public static string LoneFrontendTimeout(uint port = 1) => $"nothing within {GuestStub.Peers.Frontend.ReplyBoundMs} ms dom=0 port={port}";

    /// <summary>A domU with no dom0 beside it (its frontend waits for one in vain).</summary>
    public static SimulatedBootResult BootLoneDomU(byte[] dtb, Action<SimulatedXen>? prepare = null, ushort domid = 1) =>
        SimulatedBoot.Run(dtb, null, ram => SimulatedXenOptions.ForDomU(ram, domid), prepare);
}
