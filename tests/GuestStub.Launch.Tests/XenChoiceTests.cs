using System.IO;
using GuestStub.Launch.Xen;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>Which Xen boots (<c>--xen</c>), and the errors that name what to do.</summary>
public class XenChoiceTests
{
    [Fact]
    public void A_release_setup_has_not_unpacked_names_build_sh_setup()
    {
        using var c = new FakeCheckout(xen420: false);
        var e = Assert.Throws<LaunchException>(() => XenImage.Choose("4.20", c.Layout));
        Assert.Equal("Xen 4.20 (Debian 13's xen-hypervisor-4.20-arm64) is not unpacked at .cache/xen-4.20/boot/xen-4.20-arm64: run ./build.sh setup", e.Message);
    }

    [Fact]
    public void The_default_is_4_17()
    {
        using var c = new FakeCheckout();
        XenImage xen = XenImage.Default(c.Layout);
        Assert.Equal("4.17", xen.Name);
        Assert.Equal(c.Xen417, xen.Path);
    }

    [Fact]
    public void A_path_that_is_no_file_or_no_arm64_Image_is_refused_with_the_reason()
    {
        using var c = new FakeCheckout();
        Assert.Equal($"no Xen {c.Root}/nothing: give 4.17, 4.20 or the path of a Xen arm64 Image",
            Assert.Throws<LaunchException>(() => XenImage.Choose(Path.Combine(c.Root, "nothing"), c.Layout)).Message);
        Assert.Contains("a directory, not a Xen image", Assert.Throws<LaunchException>(() => XenImage.Choose(c.Root, c.Layout)).Message);
        string text = Path.Combine(c.Root, "xen.txt");
        File.WriteAllText(text, new string('x', 200));
        Assert.Contains("is not an arm64 Image (no ARM\\x64 magic at byte offset 0x38)",
            Assert.Throws<LaunchException>(() => XenImage.Choose(text, c.Layout)).Message);
    }

    [Fact]
    public void Xens_command_line_names_each_argument_once_and_guest_loglvl_can_be_left_out()
    {
        Assert.Equal("dom0_mem=128M console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all serial_tx_buffer=256K",
            new XenCommandLine().ToString());
        // Xen's CI's line has no guest_loglvl and has console timestamps.
        Assert.Equal("dom0_mem=512M console=dtuart dtuart=/pl011@9000000 loglvl=all serial_tx_buffer=256K console_timestamps=boot",
            new XenCommandLine { Dom0Memory = Machine.MemorySize.Mebibytes(512), GuestLogLevel = null, ConsoleTimestamps = "boot" }.ToString());
    }
}
