using System;
using System.IO;
using System.Linq;
using GuestStub.Launch.Domains;
using GuestStub.Launch.ImageBuilder;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>
/// An ImageBuilder config read as ImageBuilder reads it: each variable's meaning and default, a
/// later assignment winning, and every mistake named with its file, line and variable.
/// </summary>
public class ImageBuilderConfigTests
{
    private const string File = "test.cfg";

    private static ImageBuilderConfig Parse(string text) => ImageBuilderConfig.Parse(text.Replace("\r", ""), File);

    private static string Error(string text) => Assert.Throws<LaunchException>(() => Parse(text)).Message;

    private const string Memory = "MEMORY_START=\"0x40000000\"\nMEMORY_END=\"0x50000000\"\n";

    [Fact]
    public void The_sample_config_mirrors_Xen_s_CI()
    {
        string path = Path.Combine(FindRoot(), "tests", "fixtures", "imagebuilder", "ci-dom0less.cfg");
        ImageBuilderConfig config = ImageBuilderConfig.Load(path);
        Assert.Equal(0x4000_0000UL, config.MemoryStart);
        Assert.Equal(0x5000_0000UL, config.MemoryEnd);
        Assert.Equal("console=dtuart dom0_mem=512M console_timestamps=boot", config.XenCommandLine);
        Assert.Equal("gueststub", config.Dom0Kernel);
        Assert.Equal(2, config.DomUs.Count);
        Assert.All(config.DomUs, d => Assert.Equal(256UL, d.MemoryMiB));
        Assert.Equal(("tftpb", "boot.source", "boot.scr"), (config.LoadCommand, config.UBootSource, config.UBootScript));
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Every_variable_is_read_with_its_meaning()
    {
        ImageBuilderConfig config = Parse(Memory + """
            DEVICE_TREE="virt.dtb"
            XEN=xen
            XEN_CMD='console=dtuart dom0_mem=512M'
            DOM0_KERNEL="Image"
            DOM0_CMD="console=hvc0"
            DOM0_MEM=256
            DOM0_VCPUS=2
            NUM_DOMUS=2
            DOMU_KERNEL[0]="a"
            DOMU_CMD[0]="console=ttyAMA0 x=1"
            DOMU_MEM[0]=128
            DOMU_VCPUS[0]=2
            DOMU_ENHANCED[0]=2
            DOMU_STATIC_MEM[0]="0x50000000 0x10000000 0x70000000 0x1000000"
            DOMU_DIRECT_MAP[0]=0
            DOMU_SHARED_MEM[0]="my-shared-mem-0 0x50000000 0x4000000 0x10000000"
            DOMU_STATIC_EVTCHNS[0]="10 1 11; 12 1 13"
            DOMU_KERNEL[1]="b"
            LOAD_CMD="tftpb"
            BOOT_CMD="booti"
            UBOOT_SOURCE="my.source"
            UBOOT_SCRIPT="my.scr"
            APPEND_EXTRA_CMDS="extra.txt"
            """);
        Assert.Equal(("virt.dtb", "xen", "console=dtuart dom0_mem=512M"), (config.DeviceTree, config.Xen, config.XenCommandLine));
        Assert.Equal(("Image", "console=hvc0", 256UL, 2), (config.Dom0Kernel, config.Dom0CommandLine, config.Dom0MemoryMiB!.Value, config.Dom0Vcpus!.Value));
        ImageBuilderDomU d0 = config.DomUs[0];
        Assert.Equal(("a", "console=ttyAMA0 x=1", 128UL, 2, 2), (d0.Kernel, d0.CommandLine, d0.MemoryMiB, d0.Vcpus, d0.Enhanced!.Value));
        Assert.Equal(new[] { new StaticMemoryBank(0x5000_0000UL, 0x1000_0000UL), new StaticMemoryBank(0x7000_0000UL, 0x100_0000UL) }, d0.StaticMemory);
        Assert.False(d0.DirectMap);
        Assert.Equal(new StaticSharedMemory("my-shared-mem-0", 0x5000_0000, 0x400_0000, 0x1000_0000), d0.SharedMemory);
        Assert.Equal(new[] { new ImageBuilderEventChannel(10, 1, 11), new ImageBuilderEventChannel(12, 1, 13) }, d0.StaticEventChannels);
        Assert.Equal(("my.source", "my.scr", "extra.txt"), (config.UBootSource, config.UBootScript, config.AppendExtraCommands));
        Assert.Equal(7, config.Lines["DOM0_CMD"]);
    }

    [Fact]
    public void A_domU_has_ImageBuilder_s_defaults()
    {
        ImageBuilderDomU d = Parse(Memory + "NUM_DOMUS=1\nDOMU_KERNEL[0]=k\n").DomUs.Single();
        Assert.Equal(("console=ttyAMA0", 512UL, 1), (d.CommandLine, d.MemoryMiB, d.Vcpus));
        Assert.Null(d.Enhanced);
        Assert.Null(d.DirectMap);
        Assert.Empty(d.StaticMemory);
    }

    [Fact]
    public void A_later_assignment_wins_as_in_bash_and_comments_are_skipped()
    {
        ImageBuilderConfig config = Parse(Memory + "# one domU first\nNUM_DOMUS=1   # for now\nDOMU_KERNEL[0]=k\nDOMU_KERNEL[1]=k\nNUM_DOMUS=2\n");
        Assert.Equal(2, config.DomUs.Count);
    }

    [Fact]
    public void Ramdisks_entries_past_NUM_DOMUS_and_DOM0_MEM_beside_XEN_CMD_are_warnings()
    {
        ImageBuilderConfig config = Parse(Memory + "XEN_CMD=\"x\"\nDOM0_MEM=512\nDOM0_RAMDISK=\"r\"\nNUM_DOMUS=1\nDOMU_KERNEL[0]=k\nDOMU_RAMDISK[0]=i\nDOMU_KERNEL[1]=k\n");
        Assert.Equal(new[]
        {
            "test.cfg:5: DOM0_RAMDISK is ignored: the stub needs no ramdisk",
            "test.cfg:8: DOMU_RAMDISK[0] is ignored: the stub needs no ramdisk",
            "test.cfg:9: DOMU_KERNEL[1] is past NUM_DOMUS=1: ignored, as ImageBuilder ignores it",
            "test.cfg:4: DOM0_MEM is ignored: XEN_CMD is set (ImageBuilder uses it only in its default XEN_CMD)",
        }, config.Warnings);
    }

    [Theory]
    [InlineData("XEN_COMMAND=\"x\"", "test.cfg:3: XEN_COMMAND is not one of ImageBuilder's variables")]
    [InlineData("DOMU_NOBOOT[0]=1", "test.cfg:3: DOMU_NOBOOT[0]: ImageBuilder's, but this boot does not support it")]
    [InlineData("XEN[0]=x", "test.cfg:3: XEN[0]: XEN takes no index")]
    [InlineData("DOMU_MEM=256", "test.cfg:3: DOMU_MEM: DOMU_MEM is per domU: DOMU_MEM[i]=...")]
    [InlineData("DOMU_MEM[0]=\"lots\"", "test.cfg:3: DOMU_MEM[0]: 'lots' is not a number (decimal, or hex with 0x)")]
    [InlineData("DOMU_MEM[0]=0", "test.cfg:3: DOMU_MEM[0]: 0 is out of range (1..1048576)")]
    [InlineData("DOMU_ENHANCED[0]=3", "test.cfg:3: DOMU_ENHANCED[0]: 3 is out of range (0..2)")]
    [InlineData("DOMU_DIRECT_MAP[0]=yes", "test.cfg:3: DOMU_DIRECT_MAP[0]: 'yes' must be 1 or 0")]
    [InlineData("DOMU_STATIC_MEM[0]=\"0x50000000\"", "test.cfg:3: DOMU_STATIC_MEM[0]: static memory '0x50000000': expected pairs 'HOST_ADDR SIZE'")]
    [InlineData("DOMU_STATIC_MEM[0]=\"0x50000100\t0x1000\"", "test.cfg:3: DOMU_STATIC_MEM[0]: static memory bank 0x50000100+0x1000: address and size must be 4 KiB aligned, the size non-zero")]
    [InlineData("DOMU_SHARED_MEM[0]=\"0x50000000 0x10000000\"", "test.cfg:3: DOMU_SHARED_MEM[0]: static shared memory '0x50000000 0x10000000': expected 'ID HOST_ADDR GUEST_ADDR SIZE' or 'ID GUEST_ADDR SIZE'")]
    [InlineData("DOMU_STATIC_EVTCHNS[0]=\"10 1\"", "test.cfg:3: DOMU_STATIC_EVTCHNS[0]: '10 1' must be the local port, the other domU's index and its port")]
    [InlineData("XEN_CMD=\"dom0_mem=$MEM\"", "test.cfg:3: XEN_CMD: \"dom0_mem=$MEM\": $, ` and \\ would be the shell's (expansions are not read here)")]
    [InlineData("XEN_CMD=\"console=dtuart", "test.cfg:3: XEN_CMD: no closing \"")]
    [InlineData("XEN_CMD=\"a\" b", "test.cfg:3: XEN_CMD: more after the value: 'b'")]
    [InlineData("export XEN=xen", "test.cfg:3: not an assignment NAME=value or NAME[i]=value (ImageBuilder's config is read, not run by a shell): export XEN=xen")]
    [InlineData("LOAD_CMD=\"load mmc 0:1\"", "test.cfg:3: LOAD_CMD: 'load mmc 0:1': this boot serves the files over QEMU's TFTP, so only tftpb")]
    [InlineData("BOOT_CMD=bootm", "test.cfg:3: BOOT_CMD: 'bootm': Xen's arm64 Image is booted with booti")]
    [InlineData("UBOOT_SCRIPT=\"../boot.scr\"", "test.cfg:3: UBOOT_SCRIPT: '../boot.scr' must be a plain file name (it is written beside the images U-Boot loads)")]
    [InlineData("NUM_DOMUS=9", "test.cfg:3: NUM_DOMUS: 9 is out of range (0..8)")]
    [InlineData("DOMU_KERNEL[99999999999]=gueststub", "test.cfg:3: DOMU_KERNEL[99999999999]: index out of range (domUs are 0..7)")]
    [InlineData("DOMU_MEM[1000]=64", "test.cfg:3: DOMU_MEM[1000]: index out of range (domUs are 0..7)")]
    [InlineData("NUM_DOMUS=2\nDOMU_KERNEL[0]=k", "test.cfg: DOMU_KERNEL[1] is not set (NUM_DOMUS says domU 1 exists)")]
    public void A_mistake_is_named_with_its_line_and_variable(string line, string message)
    {
        string text = Memory + line + "\n" + (line.Contains("DOMU_", StringComparison.Ordinal) && !line.Contains("NUM_DOMUS", StringComparison.Ordinal) ? "NUM_DOMUS=1\nDOMU_KERNEL[0]=k\n" : "");
        Assert.Equal(message, Error(text));
    }

    [Fact]
    public void Required_variables_and_a_reversed_window_are_named_and_every_error_is_told_at_once()
    {
        Assert.Equal("test.cfg: MEMORY_START is not set (ImageBuilder needs it)\ntest.cfg: MEMORY_END is not set (ImageBuilder needs it)", Error("XEN=xen\n"));
        Assert.Equal("test.cfg:2: MEMORY_END: 0x40000000 is not above MEMORY_START 0x50000000", Error("MEMORY_START=0x50000000\nMEMORY_END=0x40000000\n"));
        Assert.Equal(new[] { "test.cfg:3: FOO is not one of ImageBuilder's variables", "test.cfg:4: DOM0_MEM: 'x' is not a number (decimal, or hex with 0x)" },
            Error(Memory + "FOO=1\nDOM0_MEM=x\n").Split('\n'));
    }

    internal static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir, "GuestStub.sln")))
            dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("no GuestStub.sln above the test's directory");
    }
}
