using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using GuestStub.Launch;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;
using GuestStub.Launch.Xen;

namespace GuestStub.Cli.CommandLine;

/// <summary>
/// The options that describe a boot, shared by <c>run</c> and <c>debug</c> (the options of
/// <c>./build.sh run</c>): parsed and checked by System.CommandLine, combined into a
/// <see cref="BootShape"/>. Combinations that make no sense are command-line errors (exit 2).
/// </summary>
public sealed class BootShapeOptions
{
    public readonly Option<bool> Bare = CliValues.Flag("--bare", "boot the guest on QEMU virt without Xen (at EL1; with --el2 at EL2)");
    public readonly Option<bool> El2 = CliValues.Flag("--el2", "with --bare: enter the guest at EL2 (virtualization=on); it drops to EL1");
    public readonly Option<bool> DomU = CliValues.Flag("--domu", "under Xen as dom0 and as two dom0less domUs (domids 1 and 2): dom0's backend maps their grants and foreign pages");
    public readonly Option<int> DomUs = CliValues.Bounded("--domus", $"as --domu with N domUs (1..{ModuleAddresses.MaxDomUs}, domids 1..N)", 1, ModuleAddresses.MaxDomUs, 2);
    public readonly Option<bool> DomUPlain = CliValues.Flag("--domu-plain", "domUs without xen,enhanced (no hypervisor node), printing on their vpl011 UART (implies --domu)");
    public readonly Option<bool> StaticEventChannels = CliValues.Flag("--static-evtchn", "a static event channel between dom0 and each domU (xen,evtchn-v1 in the host tree), which both sides find by scanning their ports; without it dom0 probes the domains (implies --domu)");
    public readonly Option<bool> NoDom0 = CliValues.Flag("--no-dom0", "the domUs alone, without dom0 (xen,enhanced = \"no-xenstore\"); Xen never halts then, so the boot is stopped once every domU has given its Test result: line (implies --domu)");
    public readonly Option<bool> UBoot = CliValues.Flag("--uboot", "boot as Xen's CI does: U-Boot (Debian's u-boot-qemu) runs a boot.scr over TFTP that loads Xen and the images and adds the domains' nodes with fdt commands");
    public readonly Option<bool> StaticShm = CliValues.Flag("--static-shm", "domUs 1 and 2 share a static memory region (xen,domain-shared-memory-v1, Xen's CI layout: host 0x50000000, guest 0x4000000, 256 MiB) and a static event channel, and exchange data through it; needs a Xen built with STATIC_SHM (implies --domu; the machine gets 2G unless --memory says otherwise). Use --gic 2, as Xen's CI does: under GICv3 the guest address lies over a domU's virtual redistributors and static-shm.region is a FAILURE naming the overlap");
    public readonly Option<bool> StaticShmXenAddress = CliValues.Flag("--static-shm-xen-address", "with --static-shm: no host address, Xen takes the region from its heap (Xen 4.19 and later)");
    public readonly Option<bool> StaticMem = CliValues.Flag("--static-mem", "every domU's RAM is a static bank from 0x60000000 (xen,static-mem), which the domU checks it finds (gueststub.expect-mem=); needs a Xen built with STATIC_MEMORY (implies --domu; 2G machine unless --memory)");
    public readonly Option<bool> DirectMap = CliValues.Flag("--direct-map", "with --static-mem: the domUs are direct-mapped (direct-map: guest-physical == host-physical)");
    public readonly Option<MemorySize> Memory = Size("--memory", "the machine's RAM, like 512M or 4G", MemorySize.Gibibytes(1), "-m");
    public readonly Option<MemorySize> Dom0Memory = Size("--dom0-memory", "dom0's RAM (Xen's dom0_mem=), like 128M or 1G", MemorySize.Mebibytes(128));
    public readonly Option<int> Cpus = CliValues.Bounded("--cpus", $"vCPUs (1..{QemuMachine.MaxCpus})", 1, QemuMachine.MaxCpus, 1, "--smp");
    public readonly Option<int> Gic = CliValues.Bounded("--gic", "the GIC version, 2 or 3", 2, 3, 3);
    public readonly Option<string> Append = CliValues.Text("--append", "the guest's boot arguments (every domain's)", "\"GUEST ARGS\"");
    public readonly Option<string> XenAppend = CliValues.Text("--xen-append", "more Xen arguments, after the project's own", "\"XEN ARGS\"");
    public readonly Option<int?> Timeout = CliValues.Parsed<int?>("--timeout", "stop QEMU after SECONDS (default 60, 120 with domUs)", "SECONDS", null,
        text => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int s) && s > 0
            ? (s, null)
            : (null, $"--timeout must be a positive number of seconds, not '{text}'"));
    public readonly Option<bool> Tests = CliValues.Flag("--tests", "boot the test image out/guest-tests.img instead (every test vector; with --append guest-tests.bench also the benchmarks)");
    public readonly Option<bool> Icount = CliValues.Flag("--icount", "QEMU's -icount shift=0: one instruction per nanosecond of virtual time, so the guest's timings are instruction counts");
    public readonly Option<string> Xen = XenOption();
    public readonly Option<bool> NoBuild = CliValues.NoBuild();
    public readonly Option<string?> Image = new("--image") { Description = "boot this image instead of out/guest.img (every domain)", HelpName = "FILE" };
    public readonly Option<string?> DomUImage = new("--domu-image") { Description = "with domUs: their image instead of the one dom0 boots", HelpName = "FILE" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Bare, El2, DomU, DomUs, DomUPlain, StaticEventChannels, NoDom0, UBoot, StaticShm, StaticShmXenAddress, StaticMem, DirectMap, Memory, Dom0Memory, Cpus, Gic, Append, XenAppend, Timeout, Tests, Icount, Xen, NoBuild, Image, DomUImage })
            command.Options.Add(option);
        command.Validators.Add(Check);
    }

    /// <summary>The Xen choice, shared with matrix and bench-guest.</summary>
    public static Option<string> XenOption() =>
        CliValues.Text("--xen", $"which Xen: {XenImage.ChoiceHelp} (default {XenImage.DefaultRelease})", "VERSION|PATH", XenImage.DefaultRelease);

    private static Option<MemorySize> Size(string name, string description, MemorySize defaultValue, params string[] aliases) =>
        CliValues.Parsed(name, description, "SIZE", defaultValue,
            text => MemorySize.TryParse(text, out string? error) is MemorySize size ? (size, null) : (defaultValue, $"{name}: {error}"),
            aliases);

    /// <summary>The shape the options ask for.</summary>
    public BootShape Shape(ParseResult parse) => Shape(parse.CommandResult);

    private BootShape Shape(CommandResult r)
    {
        // A command's validators run before System.CommandLine adds the options' defaults.
        static T V<T>(CommandResult r, Option<T> option) =>
            r.GetResult(option) is not null ? r.GetValue(option)! : option.HasDefaultValue ? (T)option.GetDefaultValue()! : default!;
        bool statics = V(r, StaticShm) || V(r, StaticMem);
        bool domU = V(r, DomU) || r.GetResult(DomUs) is OptionResult { Implicit: false } || V(r, DomUPlain) || V(r, StaticEventChannels) || V(r, NoDom0) || statics;
        // The static layouts are Xen's CI's, on its 2 GiB machine (StaticLayout), unless --memory is given.
        bool memoryGiven = r.GetResult(Memory) is OptionResult { Implicit: false };
        return new BootShape
        {
            Bare = V(r, Bare),
            El2 = V(r, El2),
            DomUs = domU ? V(r, DomUs) : 0,
            PlainDomUs = V(r, DomUPlain),
            StaticEventChannels = V(r, StaticEventChannels),
            NoDom0 = V(r, NoDom0),
            UBoot = V(r, UBoot),
            StaticSharedMemory = V(r, StaticShm),
            StaticSharedMemoryXenAddress = V(r, StaticShmXenAddress),
            StaticMemory = V(r, StaticMem),
            DirectMap = V(r, DirectMap),
            Memory = statics && !memoryGiven ? new MemorySize(StaticLayout.MachineBytes) : V(r, Memory),
            Dom0Memory = V(r, Dom0Memory),
            Cpus = V(r, Cpus),
            Gic = (GicVersion)V(r, Gic),
            Append = V(r, Append) ?? "",
            XenAppend = V(r, XenAppend) ?? "",
            Timeout = V(r, Timeout) is int s ? TimeSpan.FromSeconds(s) : null,
            Tests = V(r, Tests),
            Icount = V(r, Icount),
            Xen = V(r, Xen) ?? XenImage.DefaultRelease,
            Image = V(r, Image),
            DomUImage = V(r, DomUImage),
        };
    }

    /// <summary>The combinations <see cref="BootShape.Validate"/> refuses, as command-line errors.</summary>
    private void Check(CommandResult result)
    {
        BootShape shape;
        try
        {
            shape = Shape(result);
        }
        catch (InvalidOperationException)
        {
            return; // A value that did not parse: its own error says so.
        }
        try
        {
            shape.Validate();
        }
        catch (LaunchException e)
        {
            result.AddError(e.Message);
        }
    }
}
