using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Xen;

namespace GuestStub.Launch.Running;

/// <summary>
/// A boot as a user asks for one, in the words of <c>gueststub run</c>'s options: bare or under
/// Xen, how many dom0less domUs and of which kind, the machine's size, the guest's and Xen's
/// extra arguments. <see cref="Describe"/> turns it into the <see cref="BootDescription"/> the
/// launcher boots, with the project's defaults (README "Options of run").
/// </summary>
public sealed record BootShape
{
    /// <summary>QEMU virt without Xen: the guest is QEMU's <c>-kernel</c>.</summary>
    public bool Bare { get; init; }

    /// <summary>A bare boot entered at EL2 (<c>virtualization=on</c>); the stub drops to EL1.</summary>
    public bool El2 { get; init; }

    /// <summary>How many dom0less domUs (0: dom0 alone; 1..8).</summary>
    public int DomUs { get; init; }

    /// <summary>The domUs without the hypervisor node, printing on their vpl011 UART.</summary>
    public bool PlainDomUs { get; init; }

    /// <summary>A static event channel between dom0 and each domU.</summary>
    public bool StaticEventChannels { get; init; }

    /// <summary>No dom0: the domUs alone (dom0less), each with the hypervisor node without
    /// xenstore (<c>xen,enhanced = "no-xenstore"</c>, as Xen 4.17 needs). Xen never halts then,
    /// so the launcher stops the machine once every domU has given its closing verdict.</summary>
    public bool NoDom0 { get; init; }

    /// <summary>Boot through U-Boot as Xen's CI does (<see cref="Flow.UBootFlow"/>) instead of
    /// QEMU's loader.</summary>
    public bool UBoot { get; init; }

    /// <summary>domUs 1 and 2 share a static memory region (<see cref="StaticLayout"/>) and a static
    /// event channel to signal over it; Xen built with CONFIG_STATIC_SHM.</summary>
    public bool StaticSharedMemory { get; init; }

    /// <summary>With <see cref="StaticSharedMemory"/>: no host address, Xen chooses the memory
    /// (Xen 4.19 and later).</summary>
    public bool StaticSharedMemoryXenAddress { get; init; }

    /// <summary>Every domU's RAM is a static bank (<c>xen,static-mem</c>, <see cref="StaticLayout"/>);
    /// Xen built with CONFIG_STATIC_MEMORY.</summary>
    public bool StaticMemory { get; init; }

    /// <summary>With <see cref="StaticMemory"/>: the domUs are direct-mapped (<c>direct-map</c>).</summary>
    public bool DirectMap { get; init; }

    public MemorySize Memory { get; init; } = MemorySize.Gibibytes(1);

    public MemorySize Dom0Memory { get; init; } = MemorySize.Mebibytes(128);

    public int Cpus { get; init; } = 1;

    public GicVersion Gic { get; init; } = GicVersion.V3;

    /// <summary>The guest's boot arguments (every domain's).</summary>
    public string Append { get; init; } = "";

    /// <summary>More Xen arguments, after the project's own.</summary>
    public string XenAppend { get; init; } = "";

    /// <summary>The bound; null for the default, 60 s, or 120 s with domUs (dom0 waits up to 75 s
    /// for a domU that hangs, so it can still report before QEMU is stopped).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Boot the test image (out/guest-tests.img) instead of the product.</summary>
    public bool Tests { get; init; }

    /// <summary>QEMU's <c>-icount shift=0</c>.</summary>
    public bool Icount { get; init; }

    /// <summary>Which Xen: a release version or the path of a Xen Image (<see cref="XenImage.Choose"/>).</summary>
    public string Xen { get; init; } = XenImage.DefaultRelease;

    /// <summary>Another image for every domain instead of the one the build wrote.</summary>
    public string? Image { get; init; }

    /// <summary>Another image for the domUs only.</summary>
    public string? DomUImage { get; init; }

    /// <summary>A bare boot's tree instead of QEMU's own.</summary>
    public string? Dtb { get; init; }

    /// <summary>Files QEMU loads into guest memory.</summary>
    public IReadOnlyList<LoadedFile> Files { get; init; } = Array.Empty<LoadedFile>();

    /// <summary>Start halted with QEMU's gdb stub at this port.</summary>
    public int? GdbPort { get; init; }

    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromSeconds(DomUs > 0 ? 120 : 60);

    /// <summary>The image files this shape boots (for the symbolizer and gdb).</summary>
    public GuestImageFiles ImageFiles(ProjectLayout layout)
    {
        GuestImageFiles built = Tests ? layout.GuestTests : layout.Guest;
        return Image is null ? built.RequireBuilt() : new GuestImageFiles(Path.GetFullPath(Image), Path.ChangeExtension(Path.GetFullPath(Image), ".elf"));
    }

    /// <summary>The combinations that make no sense, each named as a person would fix it.</summary>
    public BootShape Validate()
    {
        if (DomUs is < 0 or > ModuleAddresses.MaxDomUs)
            throw new LaunchException($"--domus must be 1..{ModuleAddresses.MaxDomUs}, not {DomUs}");
        if (Bare && DomUs > 0)
            throw new LaunchException("--domu boots under Xen: it cannot be combined with --bare");
        if (El2 && !Bare)
            throw new LaunchException("--el2 applies to --bare only (Xen runs the guest at EL1)");
        if (Dtb is not null && !Bare)
            throw new LaunchException("a tree of one's own is for a bare boot (--bare)");
        if (DomUs == 0 && (PlainDomUs || StaticEventChannels || DomUImage is not null || NoDom0))
            throw new LaunchException("--domu-plain, --static-evtchn, --domu-image and --no-dom0 describe domUs: boot some (--domu, --domus N)");
        if (NoDom0 && StaticEventChannels)
            throw new LaunchException("--static-evtchn joins each domU to dom0: it cannot be combined with --no-dom0");
        if (UBoot && Bare)
            throw new LaunchException("--uboot boots Xen: it cannot be combined with --bare");
        if (StaticSharedMemory && DomUs < 2)
            throw new LaunchException("--static-shm shares a region between two domUs: boot at least two (--domu, --domus N)");
        if (StaticSharedMemoryXenAddress && !StaticSharedMemory)
            throw new LaunchException("--static-shm-xen-address is a form of --static-shm");
        // The images load from 0x4a000000, 16 MiB apart: a seventh domU's would land in the
        // region at its host address.
        if (StaticSharedMemory && !StaticSharedMemoryXenAddress && ModuleAddresses.DomU(DomUs) + ModuleAddresses.SlotBytes > StaticLayout.SharedMemoryHost)
            throw new LaunchException($"--static-shm: at most {(StaticLayout.SharedMemoryHost - ModuleAddresses.DomU(1)) / ModuleAddresses.SlotBytes} domUs (the images of more would load into the region at 0x{StaticLayout.SharedMemoryHost:x})");
        if (StaticMemory && DomUs == 0)
            throw new LaunchException("--static-mem gives domUs static memory: boot some (--domu, --domus N)");
        if (DirectMap && !StaticMemory)
            throw new LaunchException("--direct-map needs --static-mem (booting.txt: only with statically allocated memory)");
        if ((StaticSharedMemory || StaticMemory) && StaticLayoutEnd > 0x4000_0000 + Memory.Bytes)
            throw new LaunchException($"--static-shm and --static-mem need the machine's RAM to reach 0x{StaticLayoutEnd:x}: --memory {MemorySize.Gibibytes(2)} or more, not {Memory}");
        if (Cpus is < 1 or > QemuMachine.MaxCpus)
            throw new LaunchException($"--cpus must be 1..{QemuMachine.MaxCpus}, not {Cpus}");
        if (EffectiveTimeout <= TimeSpan.Zero)
            throw new LaunchException("--timeout must be a positive number of seconds");
        return this;
    }

    /// <summary>Where the static regions end (0 without them).</summary>
    private ulong StaticLayoutEnd =>
        StaticMemory ? StaticLayout.Bank(DomUs, DomUMemory.Bytes).HostAddress + DomUMemory.Bytes
        : StaticSharedMemory ? StaticLayout.SharedMemoryHost + StaticLayout.SharedMemorySize : 0;

    private static MemorySize DomUMemory => new DomU("").Memory;

    /// <summary>domU <paramref name="index"/> as this shape describes it.</summary>
    private DomU DescribeDomU(int index, string image)
    {
        DomU domU = (PlainDomUs ? DomU.Plain(image) : new DomU(image)) with { StaticEventChannel = StaticEventChannels };
        if (StaticSharedMemory && index <= 2)
            domU = domU with
            {
                SharedMemory = new[] { StaticLayout.SharedRegion(StaticSharedMemoryXenAddress) },
                EventChannelPeers = new[] { 3 - index },
            };
        if (StaticMemory)
            domU = domU with { StaticMemory = new[] { StaticLayout.Bank(index, domU.Memory.Bytes) }, DirectMap = DirectMap };
        return domU with { Bootargs = domU.GuestArguments(Append) };
    }

    /// <summary>The boot this shape asks for, with the images and the Xen of
    /// <paramref name="layout"/>'s checkout.</summary>
    public BootDescription Describe(ProjectLayout layout)
    {
        Validate();
        string image = ImageFiles(layout).Image;
        string domUImage = DomUImage is null ? image : Path.GetFullPath(DomUImage);
        return new BootDescription
        {
            Machine = new QemuMachine { Gic = Gic, Cpus = Cpus, Memory = Memory, Icount = Icount, Virtualization = Bare && El2 },
            Xen = Bare ? null : new XenHypervisor(XenImage.Choose(Xen, layout), new XenCommandLine { Dom0Memory = Dom0Memory, Extra = XenAppend }),
            Dom0 = NoDom0 ? null : new Dom0(image, Append),
            DomUs = Enumerable.Range(1, DomUs).Select(i => DescribeDomU(i, domUImage)).ToList(),
            Flow = UBoot ? Flow.UBootFlow.Instance : Flow.QemuLoaderFlow.Instance,
            StopAfterVerdicts = NoDom0,
            Timeout = EffectiveTimeout,
            Dtb = Dtb,
            Files = Files,
            GdbPort = GdbPort,
        };
    }
}
