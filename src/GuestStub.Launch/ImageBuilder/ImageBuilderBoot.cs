using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;
using GuestStub.Launch.Xen;

namespace GuestStub.Launch.ImageBuilder;

/// <summary>
/// The boot an ImageBuilder config describes, through U-Boot (<see cref="UBootFlow"/>) as
/// ImageBuilder's script boots it: Xen's command line exactly as <c>XEN_CMD</c> says (or
/// ImageBuilder's default built from <c>DOM0_MEM</c> and <c>DOM0_VCPUS</c>), dom0 when
/// <c>DOM0_KERNEL</c> is set, each domU with its memory, vCPUs, command line, <c>vpl011</c> (which
/// ImageBuilder always writes), <c>xen,enhanced</c> as <c>DOMU_ENHANCED</c> says, static memory
/// (<c>DOMU_STATIC_MEM</c>, <c>DOMU_DIRECT_MAP</c>), static shared memory (<c>DOMU_SHARED_MEM</c>)
/// and static event channels between domUs (<c>DOMU_STATIC_EVTCHNS</c>). A kernel
/// named <c>gueststub</c> is the stub's image (out/guest.img); other files are found relative to
/// the config. The machine is the CI's (2 GiB, 2 vCPUs) unless the caller says otherwise.
/// </summary>
public static class ImageBuilderBoot
{
    /// <summary>The kernel name that stands for the stub's own image.</summary>
    public const string StubKernel = "gueststub";

    /// <summary>The <c>DEVICE_TREE</c> that stands for QEMU's own tree (as Xen's CI dumps it).</summary>
    public const string QemuTree = "qemu";

    /// <summary>ImageBuilder's default <c>DOM0_CMD</c> for a TFTP boot (uboot-script-gen adds
    /// <c>root=/dev/ram0</c> when loading with tftpb).</summary>
    public const string DefaultDom0CommandLine = "console=hvc0 earlycon=xen earlyprintk=xen clk_ignore_unused root=/dev/ram0";

    /// <summary>What the caller chooses beside the config: the machine, the bound, the stub's
    /// image, and a Xen that overrides the config's <c>XEN</c> (<c>--xen</c>).</summary>
    public sealed record Choices
    {
        public required string StubImage { get; init; }

        public string? Xen { get; init; }

        public GicVersion Gic { get; init; } = GicVersion.V3;

        /// <summary>Xen's CI: <c>-smp 2</c>.</summary>
        public int Cpus { get; init; } = 2;

        /// <summary>Xen's CI: <c>-m 2048</c>.</summary>
        public MemorySize Memory { get; init; } = MemorySize.Gibibytes(2);

        public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

        /// <summary>QEMU's <c>-icount</c> (<c>--icount</c>), for counting instructions.</summary>
        public bool Icount { get; init; }
    }

    /// <summary>ImageBuilder's default <c>XEN_CMD</c> (uboot-script-gen), with dom0's memory
    /// and vCPUs from the config.</summary>
    public static string DefaultXenCommandLine(ImageBuilderConfig config) => string.Create(CultureInfo.InvariantCulture,
        $"console=dtuart dtuart=serial0 dom0_mem={config.Dom0MemoryMiB ?? ImageBuilderConfig.DefaultDom0MemoryMiB}M dom0_max_vcpus={config.Dom0Vcpus ?? 1} bootscrub=0 vwfi=native sched=null");

    public static BootDescription Describe(ImageBuilderConfig config, ProjectLayout layout, Choices choices)
    {
        string xenChoice = choices.Xen ?? config.Xen ?? throw new LaunchException($"{config.Path}: XEN is not set (or give --xen)");
        if (choices.Xen is null && !XenImage.Releases.Any(r => r.Version == xenChoice))
            xenChoice = config.Resolve(xenChoice);
        XenImage xen = XenImage.Choose(xenChoice, layout);

        Dom0? dom0 = config.Dom0Kernel is string dom0Kernel
            ? new Dom0(Kernel(config, "DOM0_KERNEL", dom0Kernel, choices)) { ModuleBootargs = config.Dom0CommandLine ?? DefaultDom0CommandLine }
            : null;
        var domUs = config.DomUs.Select(d => DomU(config, d, dom0 is not null, choices)).ToList();

        string? tree = config.DeviceTree is null or QemuTree ? null : config.Resolve(config.DeviceTree);
        if (tree is not null && !File.Exists(tree))
            throw new LaunchException($"{config.Where("DEVICE_TREE")}: no such file: {tree}");
        var machine = new QemuMachine { Gic = choices.Gic, Cpus = choices.Cpus, Memory = choices.Memory, Icount = choices.Icount };
        CheckMemoryWindow(config, machine, domUs.Count);

        IReadOnlyList<string> extra = Array.Empty<string>();
        if (config.AppendExtraCommands is string extraFile)
        {
            string path = config.Resolve(extraFile);
            if (!File.Exists(path))
                throw new LaunchException($"{config.Where("APPEND_EXTRA_CMDS")}: no such file: {path}");
            extra = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        }
        return new BootDescription
        {
            Machine = machine,
            Xen = new XenHypervisor(xen, XenCommandLine.Exactly(config.XenCommandLine ?? DefaultXenCommandLine(config))),
            Dom0 = dom0,
            DomUs = domUs,
            Dtb = tree,
            Flow = new UBootFlow { SourceName = config.UBootSource, ScriptName = config.UBootScript, ExtraCommands = extra },
            Timeout = choices.Timeout,
            StopAfterVerdicts = dom0 is null,
        };
    }

    private static DomU DomU(ImageBuilderConfig config, ImageBuilderDomU d, bool hasDom0, Choices choices)
    {
        string I(string name) => $"{name}[{d.Index.ToString(CultureInfo.InvariantCulture)}]";
        int enhanced = d.Enhanced ?? (hasDom0 ? 1 : 0);
        if (enhanced == 1 && !hasDom0)
            throw new LaunchException($"{config.Where(I("DOMU_ENHANCED"))}: 1 (\"enabled\", with xenstore) needs a dom0 (Xen panics without one): 2 gives \"no-xenstore\"");
        IReadOnlyList<StaticMemoryBank> banks = d.StaticMemory;
        // ImageBuilder: DOMU_DIRECT_MAP defaults to 1, and means something, only with static memory.
        if (d.DirectMap == true && banks.Count == 0)
            throw new LaunchException($"{config.Where(I("DOMU_DIRECT_MAP"))}: 1 needs DOMU_STATIC_MEM (a direct-mapped domU's RAM is its static banks)");
        ulong memoryMiB = banks.Count > 0 && !config.Lines.ContainsKey(I("DOMU_MEM"))
            ? banks.Aggregate(0UL, (sum, b) => sum + b.SizeBytes) >> 20
            : d.MemoryMiB;
        var peers = new List<int>();
        foreach (ImageBuilderEventChannel channel in d.StaticEventChannels)
        {
            if (channel.LocalPort != StaticEventChannelPorts.BetweenDomUs || channel.RemotePort != StaticEventChannelPorts.BetweenDomUs)
                throw new LaunchException($"{config.Where(I("DOMU_STATIC_EVTCHNS"))}: not supported yet: '{channel.LocalPort} {channel.RemoteDomU} {channel.RemotePort}': the stub's channels between domUs are on port {StaticEventChannelPorts.BetweenDomUs} at both ends");
            if (channel.RemoteDomU >= config.DomUs.Count || channel.RemoteDomU == d.Index)
                throw new LaunchException($"{config.Where(I("DOMU_STATIC_EVTCHNS"))}: domU {channel.RemoteDomU} is not another domU of this config (0..{config.DomUs.Count - 1})");
            peers.Add(channel.RemoteDomU + 1); // ImageBuilder's index from 0; the model's domid from 1
        }
        var domU = new DomU(Kernel(config, I("DOMU_KERNEL"), d.Kernel!, choices))
        {
            Memory = MemorySize.Mebibytes(memoryMiB),
            Cpus = d.Vcpus,
            Vpl011 = true,
            Enhanced = enhanced switch { 1 => "enabled", 2 => "no-xenstore", _ => null },
            StaticMemory = banks,
            DirectMap = banks.Count > 0 && (d.DirectMap ?? true),
            SharedMemory = d.SharedMemory is StaticSharedMemory shm ? new[] { shm } : Array.Empty<StaticSharedMemory>(),
            EventChannelPeers = peers,
        };
        try
        {
            domU.Validate();
        }
        catch (LaunchException e)
        {
            throw new LaunchException($"{config.Path}: domU {d.Index.ToString(CultureInfo.InvariantCulture)} (DOMU_*[{d.Index.ToString(CultureInfo.InvariantCulture)}]): {e.Message}");
        }
        // DOMU_CMD exactly, and the stub's own argument naming the banks it must find (static memory).
        return domU with { ModuleBootargs = domU.GuestArguments(d.CommandLine) };
    }

    /// <summary>A kernel the config names: the stub's image for <see cref="StubKernel"/>, else a file.</summary>
    private static string Kernel(ImageBuilderConfig config, string variable, string kernel, Choices choices)
    {
        if (kernel == StubKernel)
            return choices.StubImage;
        string path = config.Resolve(kernel);
        return File.Exists(path) ? path : throw new LaunchException($"{config.Where(variable)}: no such file: {path} ('{StubKernel}' names the stub's image)");
    }

    /// <summary>Every file U-Boot loads lies in MEMORY_START..MEMORY_END, inside the machine's RAM.</summary>
    private static void CheckMemoryWindow(ImageBuilderConfig config, QemuMachine machine, int domUs)
    {
        const ulong ramBase = 0x4000_0000; // QEMU virt's RAM starts here
        ulong lowest = ModuleAddresses.BootScript;
        ulong highest = (domUs > 0 ? ModuleAddresses.DomU(domUs) : ModuleAddresses.Dom0) + ModuleAddresses.SlotBytes;
        if (config.MemoryStart > lowest || config.MemoryStart < ramBase)
            throw new LaunchException($"{config.Where("MEMORY_START")}: 0x{config.MemoryStart:x}: the boot script is loaded at 0x{lowest:x} (QEMU virt's RAM starts at 0x{ramBase:x})");
        if (config.MemoryEnd < highest)
            throw new LaunchException($"{config.Where("MEMORY_END")}: 0x{config.MemoryEnd:x}: the last image's slot ends at 0x{highest:x}");
        if (config.MemoryEnd > ramBase + machine.Memory.Bytes)
            throw new LaunchException($"{config.Where("MEMORY_END")}: 0x{config.MemoryEnd:x} is past the machine's {machine.Memory} of RAM (ending at 0x{ramBase + machine.Memory.Bytes:x})");
    }
}
