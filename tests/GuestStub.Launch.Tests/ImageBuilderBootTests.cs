using System;
using System.IO;
using System.Linq;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Flow;
using GuestStub.Launch.ImageBuilder;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>The boot an ImageBuilder config describes: the domains ImageBuilder would write into
/// the tree, Xen's command line exactly, the CI's machine, the stub's image where a kernel says
/// <c>gueststub</c>.</summary>
public class ImageBuilderBootTests
{
    private const string Ci = """
        MEMORY_START="0x40000000"
        MEMORY_END="0x50000000"
        DEVICE_TREE="qemu"
        XEN="4.17"
        DOM0_KERNEL="gueststub"
        XEN_CMD="console=dtuart dom0_mem=512M console_timestamps=boot"
        NUM_DOMUS=2
        DOMU_KERNEL[0]="gueststub"
        DOMU_MEM[0]="256"
        DOMU_KERNEL[1]="gueststub"
        DOMU_MEM[1]="256"

        """;

    private static BootDescription Describe(FakeCheckout c, string text, string? xen = null)
    {
        string path = Path.Combine(c.Root, "configs", "test.cfg");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.Replace("\r", ""));
        return ImageBuilderBoot.Describe(ImageBuilderConfig.Load(path), c.Layout, new ImageBuilderBoot.Choices { StubImage = c.Layout.Guest.Image, Xen = xen });
    }

    private static string Error(FakeCheckout c, string text) => Assert.Throws<LaunchException>(() => Describe(c, text)).Message;

    [Fact]
    public void Xen_s_CI_config_is_dom0_and_two_domUs_on_vpl011_with_its_command_line_exactly_through_U_Boot()
    {
        using var c = new FakeCheckout();
        BootDescription boot = Describe(c, Ci);
        Assert.Equal("console=dtuart dom0_mem=512M console_timestamps=boot", boot.Xen!.CommandLine.ToString());
        Assert.Equal(c.Xen417, boot.Xen.Image.Path);
        Assert.Equal(c.Layout.Guest.Image, boot.Dom0!.Image);
        Assert.Equal(ImageBuilderBoot.DefaultDom0CommandLine, boot.Dom0.ModuleBootargs);
        Assert.All(boot.DomUs, d =>
        {
            Assert.Equal((c.Layout.Guest.Image, 256UL << 20, true, "enabled", "console=ttyAMA0"), (d.Image, d.Memory.Bytes, d.Vpl011, d.Enhanced, d.ModuleBootargs));
        });
        Assert.Equal(2, boot.DomUs.Count);
        Assert.IsType<UBootFlow>(boot.Flow);
        Assert.Equal(("2G", 2), (boot.Machine.Memory.ToString(), boot.Machine.Cpus));
        Assert.Null(boot.Dtb);
        Assert.False(boot.StopAfterVerdicts);
    }

    [Fact]
    public void Without_DOM0_KERNEL_the_domUs_boot_alone_and_the_boot_stops_after_their_verdicts()
    {
        using var c = new FakeCheckout();
        string noDom0 = Ci.Replace("DOM0_KERNEL=\"gueststub\"\n", "", StringComparison.Ordinal);
        BootDescription plain = Describe(c, noDom0);
        Assert.Null(plain.Dom0);
        Assert.All(plain.DomUs, d => Assert.Null(d.Enhanced));
        Assert.True(plain.StopAfterVerdicts);
        Assert.Equal(new[] { 1, 2 }, plain.Domids);
        BootDescription noXenstore = Describe(c, noDom0 + "DOMU_ENHANCED[0]=2\n");
        Assert.Equal("no-xenstore", noXenstore.DomUs[0].Enhanced);
        Assert.Equal("test.cfg:11: DOMU_ENHANCED[0]: 1 (\"enabled\", with xenstore) needs a dom0 (Xen panics without one): 2 gives \"no-xenstore\"",
            Path.GetFileName(Error(c, noDom0 + "DOMU_ENHANCED[0]=1\n")));
    }

    [Fact]
    public void Without_XEN_CMD_Xen_gets_ImageBuilder_s_default_with_DOM0_MEM()
    {
        using var c = new FakeCheckout();
        string text = Ci.Replace("XEN_CMD=\"console=dtuart dom0_mem=512M console_timestamps=boot\"\n", "DOM0_MEM=256\n", StringComparison.Ordinal);
        Assert.Equal("console=dtuart dtuart=serial0 dom0_mem=256M dom0_max_vcpus=1 bootscrub=0 vwfi=native sched=null", Describe(c, text).Xen!.CommandLine.ToString());
    }

    [Fact]
    public void Files_are_found_beside_the_config_and_xen_overrides_XEN()
    {
        using var c = new FakeCheckout();
        c.WriteBytes(Path.Combine(c.Root, "configs", "Image"), 0x100);
        FakeCheckout.WriteXen(Path.Combine(c.Root, "configs", "xen"));
        BootDescription boot = Describe(c, Ci.Replace("XEN=\"4.17\"", "XEN=\"xen\"", StringComparison.Ordinal).Replace("DOMU_KERNEL[1]=\"gueststub\"", "DOMU_KERNEL[1]=\"Image\"", StringComparison.Ordinal));
        Assert.Equal(Path.Combine(c.Root, "configs", "xen"), boot.Xen!.Image.Path);
        Assert.Equal(Path.Combine(c.Root, "configs", "Image"), boot.DomUs[1].Image);
        Assert.Equal("4.20", Describe(c, Ci, xen: "4.20").Xen!.Image.Name);
    }

    [Fact]
    public void Static_memory_is_the_domU_s_banks_direct_mapped_by_default_and_the_stub_told_what_to_find()
    {
        using var c = new FakeCheckout();
        string text = Ci.Replace("DOMU_MEM[0]=\"256\"\n", "", StringComparison.Ordinal) + "DOMU_STATIC_MEM[0]=\"0x50000000 0x8000000 0x60000000 0x8000000\"\n";
        DomU d = Describe(c, text).DomUs[0];
        Assert.Equal(new[] { new StaticMemoryBank(0x5000_0000, 0x800_0000), new StaticMemoryBank(0x6000_0000, 0x800_0000) }, d.StaticMemory);
        Assert.True(d.DirectMap);
        Assert.Equal(256UL << 20, d.Memory.Bytes); // the banks' sum, DOMU_MEM being unset
        Assert.Equal("console=ttyAMA0 gueststub.expect-mem=0x50000000-0x58000000,0x60000000-0x68000000", d.ModuleBootargs);
        Assert.False(Describe(c, text + "DOMU_DIRECT_MAP[0]=0\n").DomUs[0].DirectMap);
    }

    [Fact]
    public void Static_shared_memory_and_channels_between_domUs_are_the_model_s()
    {
        using var c = new FakeCheckout();
        BootDescription boot = Describe(c, Ci + """
            DOMU_SHARED_MEM[0]="my-shared-mem-0 0x50000000 0x4000000 0x10000000"
            DOMU_SHARED_MEM[1]="my-shared-mem-0 0x4000000 0x10000000"
            DOMU_STATIC_EVTCHNS[0]="20 1 20"
            DOMU_STATIC_EVTCHNS[1]="20 0 20"

            """);
        Assert.Equal(new StaticSharedMemory("my-shared-mem-0", 0x5000_0000, 0x400_0000, 0x1000_0000), boot.DomUs[0].SharedMemory.Single());
        Assert.Null(boot.DomUs[1].SharedMemory.Single().HostAddress);
        Assert.Equal(new[] { 2 }, boot.DomUs[0].EventChannelPeers);
        Assert.Equal(new[] { 1 }, boot.DomUs[1].EventChannelPeers);
    }

    [Theory]
    [InlineData("DOMU_DIRECT_MAP[0]=1", "test.cfg:12: DOMU_DIRECT_MAP[0]: 1 needs DOMU_STATIC_MEM (a direct-mapped domU's RAM is its static banks)")]
    [InlineData("DOMU_STATIC_MEM[0]=\"0x50000000 0x8000000\"", "test.cfg: domU 0 (DOMU_*[0]): static memory banks add up to 128 MiB but the domU's memory is 256M: Xen panics unless they match")]
    [InlineData("DOMU_STATIC_EVTCHNS[0]=\"10 1 11\"", "test.cfg:12: DOMU_STATIC_EVTCHNS[0]: not supported yet: '10 1 11': the stub's channels between domUs are on port 20 at both ends")]
    [InlineData("DOMU_STATIC_EVTCHNS[0]=\"20 2 20\"", "test.cfg:12: DOMU_STATIC_EVTCHNS[0]: domU 2 is not another domU of this config (0..1)")]
    [InlineData("DOMU_SHARED_MEM[1]=\"an-id-far-too-long 0x50000000 0x4000000 0x10000000\"", "test.cfg:12: DOMU_SHARED_MEM[1]: static shared memory id 'an-id-far-too-long': 1 to 15 characters")]
    [InlineData("MEMORY_END=\"0x4a000000\"", "test.cfg:12: MEMORY_END: 0x4a000000: the last image's slot ends at 0x4c000000")]
    [InlineData("MEMORY_START=\"0x40200000\"", "test.cfg:12: MEMORY_START: 0x40200000: the boot script is loaded at 0x40000000 (QEMU virt's RAM starts at 0x40000000)")]
    [InlineData("MEMORY_END=\"0xc0000001\"", "test.cfg:12: MEMORY_END: 0xc0000001 is past the machine's 2G of RAM (ending at 0xc0000000)")]
    [InlineData("DOMU_KERNEL[0]=\"Image-domU\"", "test.cfg:12: DOMU_KERNEL[0]: no such file: ")]
    [InlineData("DEVICE_TREE=\"virt.dtb\"", "test.cfg:12: DEVICE_TREE: no such file: ")]
    public void What_this_boot_cannot_honour_is_named_with_its_line(string line, string message)
    {
        using var c = new FakeCheckout();
        string error = Error(c, Ci + line + "\n");
        Assert.StartsWith(message, error[(error.IndexOf("test.cfg", StringComparison.Ordinal))..]);
    }
}
