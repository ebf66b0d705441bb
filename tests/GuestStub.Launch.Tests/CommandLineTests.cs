using System;
using System.IO;
using System.Linq;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>The QEMU command line the launcher builds for each shape of boot, word for word.</summary>
public class CommandLineTests
{
    private const string XenLine = "dom0_mem=128M console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all serial_tx_buffer=256K";

    private static string[] Command(FakeCheckout checkout, BootShape shape) =>
        Launcher.Prepare(shape.Describe(checkout.Layout) with { Flow = FakeCheckout.Flow }, checkout.Work).Command.Arguments.ToArray();

    [Fact]
    public void Bare_boots_the_image_as_QEMUs_kernel_at_EL1()
    {
        using var c = new FakeCheckout();
        Assert.Equal(new[]
        {
            "qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "cortex-a57", "-m", "1G", "-smp", "1",
            "-nographic", "-no-reboot", "-kernel", c.Layout.Guest.Image, "-append", "",
        }, Command(c, new BootShape { Bare = true }));
    }

    [Fact]
    public void Bare_at_EL2_with_icount_turns_virtualization_on_and_counts_instructions()
    {
        using var c = new FakeCheckout();
        Assert.Equal(new[]
        {
            "qemu-system-aarch64", "-M", "virt,gic-version=2,virtualization=on", "-cpu", "cortex-a57", "-m", "4G", "-smp", "2",
            "-icount", "shift=0,sleep=off", "-nographic", "-no-reboot", "-kernel", c.Layout.GuestTests.Image, "-append", "guest-tests.bench",
        }, Command(c, new BootShape
        {
            Bare = true, El2 = true, Icount = true, Gic = GicVersion.V2, Cpus = 2, Memory = MemorySize.Gibibytes(4),
            Tests = true, Append = "guest-tests.bench",
        }));
    }

    [Fact]
    public void Dom0_under_Xen_comes_through_the_guest_loader_with_Xens_command_line_as_append()
    {
        using var c = new FakeCheckout();
        Assert.Equal(new[]
        {
            "qemu-system-aarch64", "-M", "virt,gic-version=3,virtualization=on,dtb-randomness=off", "-cpu", "cortex-a57", "-m", "1G", "-smp", "1",
            "-nographic", "-no-reboot", "-kernel", c.Xen417, "-append", XenLine,
            "-device", $"guest-loader,addr=0x49000000,kernel={c.Layout.Guest.Image},bootargs=console=hvc0",
        }, Command(c, new BootShape()));
    }

    [Fact]
    public void The_guests_arguments_replace_console_hvc0_and_a_comma_is_doubled_for_QEMUs_option_parser()
    {
        using var c = new FakeCheckout();
        string[] command = Command(c, new BootShape { Append = "gnttab=ballooned a,b", Dom0Memory = MemorySize.Mebibytes(512), XenAppend = " sched=null " });
        Assert.Contains($"guest-loader,addr=0x49000000,kernel={c.Layout.Guest.Image},bootargs=gnttab=ballooned a,,b", command);
        Assert.Contains(XenLine.Replace("dom0_mem=128M", "dom0_mem=512M") + " sched=null", command);
    }

    [Fact]
    public void Dom0_and_domUs_boot_from_the_host_tree_with_each_image_at_its_slot()
    {
        using var c = new FakeCheckout();
        string image = c.Layout.Guest.Image;
        Assert.Equal(new[]
        {
            "qemu-system-aarch64", "-M", "virt,gic-version=3,virtualization=on,dtb-randomness=off", "-cpu", "cortex-a57", "-m", "1G", "-smp", "1",
            "-dtb", Path.Combine(c.Work, "host.dtb"),
            "-device", $"loader,file={image},addr=0x49000000,force-raw=on",
            "-device", $"loader,file={image},addr=0x4a000000,force-raw=on",
            "-device", $"loader,file={image},addr=0x4b000000,force-raw=on",
            "-device", $"loader,file={image},addr=0x4c000000,force-raw=on",
            "-nographic", "-no-reboot", "-kernel", c.Xen417,
        }, Command(c, new BootShape { DomUs = 3 }));
        Assert.True(File.Exists(Path.Combine(c.Work, "host.dtb")));
    }

    [Fact]
    public void The_domUs_image_can_differ_from_dom0s()
    {
        using var c = new FakeCheckout();
        string other = c.WriteBytes(Path.Combine(c.Root, "silent.img"), 4096);
        string[] command = Command(c, new BootShape { DomUs = 1, DomUImage = other });
        Assert.Contains($"loader,file={c.Layout.Guest.Image},addr=0x49000000,force-raw=on", command);
        Assert.Contains($"loader,file={other},addr=0x4a000000,force-raw=on", command);
    }

    [Fact]
    public void Icount_a_loaded_file_and_a_gdb_stub_are_added_to_any_flow()
    {
        using var c = new FakeCheckout();
        string vectors = c.WriteBytes(Path.Combine(c.Root, "extra.vec"), 100);
        string[] command = Command(c, new BootShape { Icount = true, Files = new[] { new LoadedFile(vectors, 0x50000000) }, GdbPort = 4321 });
        Assert.Equal(new[] { "-icount", "shift=0,sleep=off" }, command.SkipWhile(a => a != "-icount").Take(2));
        Assert.Contains($"loader,file={vectors},addr=0x50000000,force-raw=on", command);
        Assert.Equal(new[] { "-S", "-gdb", "tcp:127.0.0.1:4321" }, command[^3..]);
    }

    [Theory]
    [InlineData("4.17", "xen/boot/xen-4.17-arm64")]
    [InlineData("4.20", "xen-4.20/boot/xen-4.20-arm64")]
    public void Each_Xen_release_is_booted_from_where_setup_unpacks_it(string release, string cachePath)
    {
        using var c = new FakeCheckout();
        string[] command = Command(c, new BootShape { Xen = release });
        Assert.Equal(Path.Combine(c.Root, ".cache", cachePath), command[command.ToList().IndexOf("-kernel") + 1]);
    }

    [Fact]
    public void A_Xen_named_by_path_is_booted_as_it_is()
    {
        using var c = new FakeCheckout();
        string own = Path.Combine(c.Root, "my-xen");
        FakeCheckout.WriteXen(own);
        string[] command = Command(c, new BootShape { Xen = own, DomUs = 1 });
        Assert.Equal(own, command[command.ToList().IndexOf("-kernel") + 1]);
    }

    [Fact]
    public void The_shell_line_quotes_what_a_shell_would_split()
    {
        var command = new QemuCommand(new[] { "qemu-system-aarch64", "-append", "", "-append", "a b", "-x", "it's", "virt,gic-version=3" });
        Assert.Equal("qemu-system-aarch64 -append '' -append 'a b' -x 'it'\\''s' virt,gic-version=3", command.ShellLine);
    }
}
