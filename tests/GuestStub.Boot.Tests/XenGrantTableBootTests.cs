using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Issue 4 under real Xen 4.17: shared_info and the grant table set up, self-tested and torn
/// down, as dom0 (guest-loader) and as a dom0less domU (QEMU's tree edited with fdtput, the
/// same recipe as ./build.sh run --domu), each with region 0 and with gnttab=ballooned. The
/// report is checked against what Xen itself logged ("Grant table range", the domU's memory).
/// </summary>
public class XenGrantTableBootTests
{
    [Fact]
    public void Dom0_maps_the_grant_table_at_the_range_Xen_logged()
    {
        QemuRun run = Qemu.XenDom0();
        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
        string logged = XenRange(run.Find(@"Grant table range: 0x([0-9a-f]+)-0x([0-9a-f]+)"));
        Assert.Equal(logged, run.Report("grant.region0"));
        Assert.Equal("region0", run.Report("grant.method"));
        Assert.Equal(logged, run.Report("grant.range")); // 64 frames: all of region 0
        Assert.Equal("ok", run.Report("grant.selftest"));
        Assert.Equal("ok", run.Report("teardown"));
        Assert.Equal("ok", run.Report("status"));
    }

    [Fact]
    public void Dom0_gnttab_ballooned_maps_the_frames_at_its_own_RAM()
    {
        QemuRun run = Qemu.XenDom0(new Qemu.Options { GuestBootargs = "gnttab=ballooned" });
        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
        var bank = run.Find(@"BANK\[0\] 0x([0-9a-f]+)-0x([0-9a-f]+)");
        ulong ramStart = Convert.ToUInt64(bank.Groups[1].Value, 16), ramEnd = Convert.ToUInt64(bank.Groups[2].Value, 16);
        Assert.Equal("ballooned", run.Report("grant.method"));
        Assert.Equal("forced-off", run.Report("grant.region0.verdict"));
        (ulong start, ulong end) = ParseRange(run.Report("grant.range")!);
        Assert.True(start >= ramStart && end <= ramEnd, run.Describe());
        Assert.Equal("ok", run.Report("grant.selftest"));
        Assert.Equal("ok", run.Report("status"));
    }

    [Theory]
    [InlineData("", "region0")]
    [InlineData("gnttab=ballooned", "ballooned")]
    public void Dom0_and_a_dom0less_domU_both_set_up_and_tear_down(string bootargs, string method)
    {
        QemuRun run = BootWithDomU(bootargs);
        Assert.True(run.ExitCode == 0 && !run.TimedOut, run.Describe());
        Assert.Equal(method, run.Report("grant.method"));
        Assert.Equal("ok", run.Report("status"));

        Dictionary<string, string> domU = DomUReport(run);
        Assert.Equal("1", domU["domid"]);
        Assert.Equal("0x38000000-0x39000000", domU["grant.region0"]);
        Assert.Equal(method, domU["grant.method"]);
        if (method == "region0")
        {
            Assert.Equal("0x38000000-0x38040000", domU["grant.range"]); // region 0, limited to the 64 frames
        }
        else
        {
            var bank = run.Find(@"d1 BANK\[0\] 0x([0-9a-f]+)-0x([0-9a-f]+)");
            (ulong start, ulong end) = ParseRange(domU["grant.range"]);
            Assert.True(start >= Convert.ToUInt64(bank.Groups[1].Value, 16) && end <= Convert.ToUInt64(bank.Groups[2].Value, 16), run.Describe());
        }
        Assert.Equal("ok", domU["grant.selftest"]);
        Assert.Equal("ok", domU["teardown"]);
        Assert.Equal("ok", domU["status"]);
    }

    private static Dictionary<string, string> DomUReport(QemuRun run)
    {
        var lines = run.Lines.Where(l => l.StartsWith("(d1) report ", StringComparison.Ordinal))
            .Select(l => l["(d1) report ".Length..]).ToList();
        Assert.True(lines.Count > 0, run.Describe());
        return lines.ToDictionary(l => l[..l.IndexOf(' ')], l => l[(l.IndexOf(' ') + 1)..]);
    }

    private static string XenRange(System.Text.RegularExpressions.Match m) =>
        $"0x{Convert.ToUInt64(m.Groups[1].Value, 16):x}-0x{Convert.ToUInt64(m.Groups[2].Value, 16):x}";

    private static (ulong Start, ulong End) ParseRange(string text)
    {
        string[] parts = text.Split('-');
        return (Convert.ToUInt64(parts[0][2..], 16), Convert.ToUInt64(parts[1][2..], 16));
    }

    /// <summary>Dom0 (lingering so the domU can finish) plus domU1 (domid 1, 128 MiB).</summary>
    private static QemuRun BootWithDomU(string bootargs)
    {
        string dir = RepoPaths.TempDirectory("domu");
        string dtb = Path.Combine(dir, "virt-domu.dtb");
        const string machine = "virt,virtualization=on,gic-version=3";
        ToolRunner.Run("qemu-system-aarch64", "-M", machine + ",dumpdtb=" + dtb, "-cpu", "cortex-a57", "-m", "1G", "-smp", "1", "-nographic");
        Assert.True(File.Exists(dtb), "QEMU did not dump its DTB");
        string size = $"0x{new FileInfo(RepoPaths.GuestImage).Length:x}";
        void Put(params string[] args)
        {
            var (code, output) = ToolRunner.Run("fdtput", args);
            Assert.True(code == 0, "fdtput " + string.Join(' ', args) + ": " + output);
        }
        Put("-t", "s", dtb, "/chosen", "xen,xen-bootargs", "dom0_mem=128M console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all");
        Put("-t", "x", dtb, "/chosen", "#address-cells", "2");
        Put("-t", "x", dtb, "/chosen", "#size-cells", "2");
        Put("-c", dtb, "/chosen/module@49000000", "/chosen/domU1", "/chosen/domU1/module@4a000000");
        foreach (string m in new[] { "/chosen/module@49000000", "/chosen/domU1/module@4a000000" })
            Put("-t", "s", dtb, m, "compatible", "multiboot,kernel", "multiboot,module");
        Put("-t", "x", dtb, "/chosen/module@49000000", "reg", "0", "0x49000000", "0", size);
        Put("-t", "s", dtb, "/chosen/module@49000000", "bootargs", ("gueststub.linger-ms=3000 " + bootargs).Trim());
        Put("-t", "s", dtb, "/chosen/domU1", "compatible", "xen,domain");
        Put("-t", "x", dtb, "/chosen/domU1", "#address-cells", "2");
        Put("-t", "x", dtb, "/chosen/domU1", "#size-cells", "2");
        Put("-t", "x", dtb, "/chosen/domU1", "memory", "0", "0x20000");
        Put("-t", "x", dtb, "/chosen/domU1", "cpus", "1");
        Put("-t", "s", dtb, "/chosen/domU1", "xen,enhanced", "no-xenstore");
        Put("-t", "x", dtb, "/chosen/domU1/module@4a000000", "reg", "0", "0x4a000000", "0", size);
        Put("-t", "s", dtb, "/chosen/domU1/module@4a000000", "bootargs", ("gueststub.domid=1 " + bootargs).Trim());

        return QemuRun.Start(new List<string>
        {
            "qemu-system-aarch64", "-M", machine, "-cpu", "cortex-a57", "-m", "1G", "-smp", "1", "-nographic", "-no-reboot",
            "-kernel", RepoPaths.Xen, "-dtb", dtb,
            "-device", $"loader,file={RepoPaths.GuestImage},addr=0x49000000,force-raw=on",
            "-device", $"loader,file={RepoPaths.GuestImage},addr=0x4a000000,force-raw=on",
        }, Qemu.DefaultTimeout);
    }
}
