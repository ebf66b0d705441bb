using System;
using System.IO;
using System.Linq;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Running;
using GuestStub.Launch.Tree;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>
/// The U-Boot flow, prepared without QEMU (a fixed base tree with QEMU virt's pl061, a stand-in
/// firmware file): the boot script ImageBuilder's uboot-script-gen would write for the domains,
/// the image mkimage made of it, the QEMU command line and what is typed on U-Boot's console.
/// </summary>
public class UBootFlowTests
{
    /// <summary>QEMU virt's tree where it matters here: /chosen and the pl061 the CI disables.</summary>
    private const string BaseTree = "/dts-v1/;\n\n/ {\n\t#address-cells = <0x02>;\n\t#size-cells = <0x02>;\n\tchosen {\n\t\tstdout-path = \"/pl011@9000000\";\n\t};\n\tpl061@9030000 {\n\t\tcompatible = \"arm,pl061\";\n\t\tstatus = \"okay\";\n\t};\n};\n";

    private static UBootFlow Flow(FakeCheckout c) => new UBootFlow
    {
        BaseTree = (_, _) => BaseTree,
        FirmwarePath = c.WriteBytes(Path.Combine(c.Root, "u-boot.bin"), 16),
    };

    private static PreparedBoot Prepare(FakeCheckout c, BootShape shape) =>
        Launcher.Prepare(shape.Describe(c.Layout) with { Flow = Flow(c) }, c.Work);

    private static string Source(FakeCheckout c) => File.ReadAllText(Path.Combine(c.Work, UBootFlow.TftpDirectory, "boot.source"));

    private static string DomU(int i, char slot) => $"""
        fdt set /chosen/domU{i} compatible "xen,domain"
        fdt set /chosen/domU{i} \#address-cells <0x2>
        fdt set /chosen/domU{i} \#size-cells <0x2>
        fdt set /chosen/domU{i} memory <0x0 0x20000>
        fdt set /chosen/domU{i} cpus <0x1>
        fdt set /chosen/domU{i} xen,enhanced "no-xenstore"
        fdt mknod /chosen/domU{i} module@4{slot}000000
        fdt set /chosen/domU{i}/module@4{slot}000000 compatible "multiboot,kernel" "multiboot,module"
        fdt set /chosen/domU{i}/module@4{slot}000000 reg <0x0 0x4{slot}000000 0x0 0x178b0>
        fdt set /chosen/domU{i}/module@4{slot}000000 bootargs "console=hvc0"

        """;

    [Fact]
    public void Dom0_and_two_domUs_are_loaded_over_tftp_added_with_fdt_commands_and_booted_with_booti()
    {
        using var c = new FakeCheckout();
        Prepare(c, new BootShape { DomUs = 2, UBoot = true });
        string expected = """
            tftpb 0x40200000 xen
            tftpb 0x49000000 dom0.img
            tftpb 0x4a000000 domU1.img
            tftpb 0x4b000000 domU2.img
            tftpb 0x48000000 host.dtb
            fdt addr 0x48000000
            fdt resize 2048
            fdt set /chosen \#address-cells <0x2>
            fdt set /chosen \#size-cells <0x2>
            fdt set /chosen xen,xen-bootargs "dom0_mem=128M console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all serial_tx_buffer=256K"
            fdt mknod /chosen domU2
            fdt mknod /chosen domU1
            fdt mknod /chosen module@49000000
            fdt set /chosen/module@49000000 compatible "multiboot,kernel" "multiboot,module"
            fdt set /chosen/module@49000000 reg <0x0 0x49000000 0x0 0x178b0>
            fdt set /chosen/module@49000000 bootargs "console=hvc0"

            """ + DomU(1, 'a') + DomU(2, 'b') + """
            setenv fdt_high 0xffffffffffffffff
            booti 0x40200000 - 0x48000000

            """;
        Assert.Equal(expected.Replace("\r", ""), Source(c));
    }

    [Fact]
    public void The_files_the_script_loads_are_served_and_the_script_is_a_U_Boot_script_image()
    {
        using var c = new FakeCheckout();
        Prepare(c, new BootShape { DomUs = 2, UBoot = true });
        string tftp = Path.Combine(c.Work, UBootFlow.TftpDirectory);
        Assert.Equal(new[] { "boot.scr", "boot.source", "dom0.img", "domU1.img", "domU2.img", "host.dtb", "xen" },
            Directory.GetFiles(tftp).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        byte[] script = File.ReadAllBytes(Path.Combine(tftp, "boot.scr"));
        // A legacy U-Boot image (include/image.h): magic 0x27051956, type IH_TYPE_SCRIPT (6) at byte 30.
        Assert.Equal(new byte[] { 0x27, 0x05, 0x19, 0x56 }, script[..4]);
        Assert.Equal(6, script[30]);
        Assert.Contains("booti 0x40200000 - 0x48000000", System.Text.Encoding.ASCII.GetString(script));
    }

    [Fact]
    public void The_host_tree_is_the_base_tree_with_the_pl061_disabled_and_nothing_added()
    {
        using var c = new FakeCheckout();
        PreparedBoot prepared = Prepare(c, new BootShape { DomUs = 1, UBoot = true });
        HostTool.Result status = HostTool.Run("fdtget", prepared.HostTree!, UBootFlow.Pl061Path, "status");
        Assert.Equal("disabled", status.StandardOutput.Trim());
        HostTool.Result chosen = HostTool.Run("fdtget", "-l", prepared.HostTree!, "/chosen");
        Assert.Equal("", chosen.StandardOutput.Trim());
    }

    [Fact]
    public void QEMU_runs_U_Boot_with_EL2_and_a_virtio_net_on_its_user_network_serving_the_files()
    {
        using var c = new FakeCheckout();
        PreparedBoot prepared = Prepare(c, new BootShape { DomUs = 2, UBoot = true, Gic = Machine.GicVersion.V2, Memory = Machine.MemorySize.Gibibytes(2), Cpus = 2 });
        Assert.Equal(new[]
        {
            "qemu-system-aarch64", "-M", "virt,gic-version=2,virtualization=on,dtb-randomness=off", "-cpu", "cortex-a57", "-m", "2G", "-smp", "2",
            "-nographic", "-no-reboot", "-device", "virtio-net-pci,netdev=n0",
            "-netdev", "user,id=n0,tftp=" + Path.Combine(c.Work, UBootFlow.TftpDirectory), "-bios", Path.Combine(c.Root, "u-boot.bin"),
        }, prepared.Command.Arguments);
        Assert.Equal("  virtio scan; dhcp; tftpb 0x40000000 boot.scr; source 0x40000000\n", prepared.ConsoleInput);
        Assert.True(prepared.FirmwareFirst);
    }

    [Fact]
    public void Static_event_channel_ends_get_explicit_phandles_that_the_other_end_names()
    {
        using var c = new FakeCheckout();
        Prepare(c, new BootShape { DomUs = 2, UBoot = true, StaticEventChannels = true });
        string[] evtchn = Source(c).Split('\n').Where(l => l.Contains("evtchn", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[]
        {
            "fdt mknod /chosen evtchn-domu2",
            "fdt mknod /chosen evtchn-domu1",
            "fdt set /chosen/evtchn-domu1 phandle <0xfffffffe>",
            "fdt set /chosen/evtchn-domu1 compatible \"xen,evtchn-v1\"",
            "fdt set /chosen/evtchn-domu1 xen,evtchn <0xb 0xfffffffc>",
            "fdt set /chosen/evtchn-domu2 phandle <0xfffffffd>",
            "fdt set /chosen/evtchn-domu2 compatible \"xen,evtchn-v1\"",
            "fdt set /chosen/evtchn-domu2 xen,evtchn <0xc 0xfffffffb>",
            "fdt mknod /chosen/domU1 evtchn-dom0",
            "fdt set /chosen/domU1/evtchn-dom0 phandle <0xfffffffc>",
            "fdt set /chosen/domU1/evtchn-dom0 compatible \"xen,evtchn-v1\"",
            "fdt set /chosen/domU1/evtchn-dom0 xen,evtchn <0xa 0xfffffffe>",
            "fdt mknod /chosen/domU2 evtchn-dom0",
            "fdt set /chosen/domU2/evtchn-dom0 phandle <0xfffffffb>",
            "fdt set /chosen/domU2/evtchn-dom0 compatible \"xen,evtchn-v1\"",
            "fdt set /chosen/domU2/evtchn-dom0 xen,evtchn <0xa 0xfffffffd>",
        }, evtchn);
    }

    [Fact]
    public void Without_dom0_no_dom0_image_is_loaded_nor_module_added_and_the_boot_stops_after_the_verdicts()
    {
        using var c = new FakeCheckout();
        PreparedBoot prepared = Prepare(c, new BootShape { DomUs = 1, UBoot = true, NoDom0 = true });
        string source = Source(c);
        Assert.DoesNotContain("dom0.img", source, StringComparison.Ordinal);
        Assert.DoesNotContain("module@49000000", source, StringComparison.Ordinal);
        Assert.Contains("tftpb 0x4a000000 domU1.img", source, StringComparison.Ordinal);
        Assert.True(prepared.Boot.StopAfterVerdicts);
        Assert.Equal(new[] { 1 }, prepared.Boot.Domids);
    }

    [Fact]
    public void The_fdt_commands_build_the_same_chosen_as_the_dtc_rendering_of_the_same_nodes()
    {
        // Each fdt command replayed with fdtput on the base tree gives what dtc compiles from the
        // device-tree source of the same nodes: one description, two renderings.
        using var c = new FakeCheckout();
        BootShape shape = new() { DomUs = 2, StaticEventChannels = true };
        string dtcTree = Launcher.Prepare(shape.Describe(c.Layout) with { Flow = FakeCheckout.Flow }, Path.Combine(c.Work, "loader")).HostTree!;
        PreparedBoot uboot = Launcher.Prepare((shape with { UBoot = true }).Describe(c.Layout) with { Flow = Flow(c) }, c.Work);
        string replayed = Path.Combine(c.Root, "replayed.dtb");
        File.Copy(uboot.HostTree!, replayed);
        foreach (string command in Source(c).Split('\n').Where(l => l.StartsWith("fdt mknod ", StringComparison.Ordinal) || l.StartsWith("fdt set ", StringComparison.Ordinal)))
            FdtPut(replayed, command);
        Assert.Equal(Normalized(ChosenText(dtcTree)), Normalized(ChosenText(replayed)));
        // Xen numbers the domUs in the order of their nodes: the same order in both trees.
        foreach (string node in new[] { "/chosen", "/chosen/domU1", "/chosen/domU2" })
            Assert.Equal(HostTool.Run("fdtget", "-l", dtcTree, node).StandardOutput, HostTool.Run("fdtget", "-l", replayed, node).StandardOutput);
        Assert.Equal("module@49000000\nevtchn-domu1\nevtchn-domu2\ndomU1\ndomU2\n", HostTool.Run("fdtget", "-l", replayed, "/chosen").StandardOutput);
    }

    /// <summary>A node's text with what may differ between the renderings and means the same
    /// taken out: the order of properties (libfdt adds a new property first, dtc keeps the
    /// source's order), so the lines are sorted; and phandle numbers (dtc numbers labelled nodes
    /// 1, 2, ..., the fdt commands from 0xfffffffe down), so a phandle and a xen,evtchn cell
    /// naming one are replaced by the node's path.</summary>
    private static string[] Normalized(string chosen)
    {
        string[] lines = chosen.Split('\n');
        var path = new System.Collections.Generic.List<string>();
        var phandles = new System.Collections.Generic.Dictionary<string, string>();
        foreach (string line in lines)
        {
            string t = line.Trim();
            if (t.EndsWith(" {", StringComparison.Ordinal))
                path.Add(t[..^2]);
            else if (t == "};")
                path.RemoveAt(path.Count - 1);
            else if (t.StartsWith("phandle = <", StringComparison.Ordinal))
                phandles[t["phandle = <".Length..^2]] = string.Join('/', path);
        }
        return lines.Select(l =>
        {
            string t = l.Trim();
            if (t.StartsWith("phandle = ", StringComparison.Ordinal))
                return l[..l.IndexOf('p')] + "phandle";
            if (t.StartsWith("xen,evtchn = <", StringComparison.Ordinal))
            {
                string[] cells = t["xen,evtchn = <".Length..^2].Split(' ');
                return l[..l.IndexOf('x')] + $"xen,evtchn = <{cells[0]} {phandles[cells[1]]}>";
            }
            return l;
        }).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void A_string_U_Boot_s_shell_would_expand_is_refused()
    {
        var node = new DtNode("chosen", new[] { DtProperty.String("xen,xen-bootargs", "dom0_mem=$mem") }, Array.Empty<DtNode>());
        Assert.Contains("without \", \\ or $", Assert.Throws<LaunchException>(() => UBootFdtCommands.Commands("/", node, nodeExists: true)).Message);
    }

    /// <summary>One fdt command as fdtput does it: mknod as -c, strings as -t s, cells as -t x,
    /// an empty property as -t s with no value.</summary>
    private static void FdtPut(string dtb, string command)
    {
        string[] words = command.Split(' ', 4);
        HostTool.Result result;
        if (words[1] == "mknod")
        {
            result = HostTool.Run("fdtput", "-c", dtb, words[2].TrimEnd('/') + "/" + words[3]);
        }
        else
        {
            string[] rest = words[3].Split(' ', 2);
            string property = rest[0].TrimStart('\\');
            string value = rest.Length > 1 ? rest[1] : "";
            string[] args = value.StartsWith('<')
                ? new[] { "-t", "x", dtb, words[2], property }.Concat(value.Trim('<', '>').Split(' ').Select(v => v[2..])).ToArray()
                : new[] { "-t", "s", dtb, words[2], property }.Concat(value.Length == 0 ? Array.Empty<string>() : value.Split("\" \"").Select(v => v.Trim('"'))).ToArray();
            result = HostTool.Run("fdtput", args);
        }
        Assert.True(result.ExitCode == 0, command + ": " + result.Output);
    }

    private static string ChosenText(string dtb)
    {
        HostTool.Result dts = HostTool.Run("dtc", "-q", "-I", "dtb", "-O", "dts", dtb);
        string text = dts.StandardOutput.Replace("\r", "");
        int start = text.IndexOf("\tchosen {", StringComparison.Ordinal);
        return text[start..text.IndexOf("\n\t};", start, StringComparison.Ordinal)];
    }
}
