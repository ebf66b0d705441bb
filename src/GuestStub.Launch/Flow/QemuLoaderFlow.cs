using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;
using GuestStub.Launch.Tree;

namespace GuestStub.Launch.Flow;

/// <summary>
/// QEMU loads every image itself, three ways:
/// <list type="bullet">
/// <item>bare: the guest as QEMU's <c>-kernel</c>, its arguments as <c>-append</c>;</item>
/// <item>Xen with dom0 alone: Xen as <c>-kernel</c> with its command line as <c>-append</c>,
/// dom0 through QEMU's <c>guest-loader</c> device, which adds dom0's module node to /chosen
/// itself (docs/system/guest-loader.rst);</item>
/// <item>Xen with dom0less domUs: Xen as <c>-kernel</c>, the host tree (QEMU's own plus the
/// domains' nodes, <see cref="DomainNodes"/>) as <c>-dtb</c>, each image placed by a
/// <c>loader</c> device at its <see cref="ModuleAddresses"/> slot.</item>
/// </list>
/// Under Xen the machine has EL2 (Xen needs it) and <c>dtb-randomness=off</c>: the dom0less tree
/// is dumped by one QEMU and booted by another, and a tree Xen builds is the same on every boot.
/// </summary>
public sealed record QemuLoaderFlow : BootFlow
{
    public static QemuLoaderFlow Instance { get; } = new();

    public override string Name => "QEMU loader";

    /// <summary>The host tree's file name in the work directory.</summary>
    public const string HostTreeFile = "host.dtb";

    /// <summary>The tree the dom0less nodes are added to: QEMU's own for the machine (a test
    /// may give a fixed one, and so build the host tree without QEMU).</summary>
    public HostTreeBuilder.BaseTree BaseTree { get; init; } = HostTreeBuilder.QemuTree;

    public override PreparedBoot Prepare(BootDescription boot, string workDirectory)
    {
        boot.Machine.Validate();
        if (boot.Dom0 is null && (boot.Xen is null || boot.DomUs.Count == 0))
            throw new LaunchException("a boot without dom0 is a dom0less boot under Xen: it needs domUs");
        if (boot.Dom0 is not null)
            RequireFile(boot.Dom0.Image, "image");
        foreach (LoadedFile file in boot.Files)
            RequireFile(file.Path, "file to load");
        var args = new List<string> { QemuMachine.Emulator };
        string? hostTree = null;
        if (boot.Xen is null)
        {
            if (boot.DomUs.Count > 0)
                throw new LaunchException("dom0less domUs boot under Xen: a bare machine runs one guest");
            args.AddRange(boot.Machine.Arguments);
            args.AddRange(new[] { "-nographic", "-no-reboot", "-kernel", boot.Dom0!.Image, "-append", boot.Dom0.Bootargs });
            if (boot.Dtb is not null)
                args.AddRange(new[] { "-dtb", RequireFile(boot.Dtb, "tree") });
        }
        else
        {
            if (boot.Dtb is not null)
                throw new LaunchException("a tree of one's own (-dtb) is for a bare boot: under Xen the host tree is QEMU's");
            RequireFile(boot.Xen.Image.Path, "Xen image");
            QemuMachine machine = boot.Machine with { Virtualization = true, DtbRandomness = false };
            args.AddRange(machine.Arguments);
            if (boot.DomUs.Count == 0)
            {
                args.AddRange(new[] { "-nographic", "-no-reboot", "-kernel", boot.Xen.Image.Path, "-append", boot.Xen.CommandLine.ToString() });
                args.AddRange(new[] { "-device", $"guest-loader,addr=0x{ModuleAddresses.Dom0:x},kernel={QemuCommand.OptionValue(boot.Dom0!.Image)}," +
                    $"bootargs={QemuCommand.OptionValue(GuestBootargs.ForGuestLoader(boot.Dom0.Bootargs))}" });
            }
            else
            {
                hostTree = WriteHostTree(boot, machine, workDirectory, BaseTree);
                args.AddRange(new[] { "-dtb", hostTree });
                if (boot.Dom0 is not null)
                    args.AddRange(Loader(boot.Dom0.Image, ModuleAddresses.Dom0));
                for (int i = 1; i <= boot.DomUs.Count; i++)
                    args.AddRange(Loader(boot.DomUs[i - 1].Image, ModuleAddresses.DomU(i)));
                args.AddRange(new[] { "-nographic", "-no-reboot", "-kernel", boot.Xen.Image.Path });
            }
        }
        foreach (LoadedFile file in boot.Files)
            args.AddRange(Loader(file.Path, file.Address));
        if (boot.GdbPort is int port)
            args.AddRange(new[] { "-S", "-gdb", "tcp:127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) });
        return new PreparedBoot(boot, new QemuCommand(args), hostTree);
    }

    /// <summary>The host tree for a dom0less boot, written to the work directory.</summary>
    private static string WriteHostTree(BootDescription boot, QemuMachine machine, string workDirectory, HostTreeBuilder.BaseTree baseTree)
    {
        DtNode chosen = ChosenNodes(boot);
        Directory.CreateDirectory(workDirectory);
        string path = Path.Combine(workDirectory, HostTreeFile);
        HostTreeBuilder.Write(machine, chosen, path, baseTree);
        return path;
    }

    /// <summary>The nodes a dom0less boot adds to /chosen, each image at its
    /// <see cref="ModuleAddresses"/> slot: the one description both flows render (as source for
    /// dtc here, as U-Boot <c>fdt</c> commands in <see cref="UBootFlow"/>).</summary>
    public static DtNode ChosenNodes(BootDescription boot)
    {
        if (boot.DomUs.Count > ModuleAddresses.MaxDomUs)
            throw new LaunchException($"at most {ModuleAddresses.MaxDomUs} domUs, not {boot.DomUs.Count}");
        var domUs = new List<(DomU, ModuleImage)>();
        for (int i = 1; i <= boot.DomUs.Count; i++)
        {
            DomU domU = boot.DomUs[i - 1];
            domUs.Add((domU, Module(domU.Image, ModuleAddresses.DomU(i), domU.ModuleBootargs ?? GuestBootargs.ForModule(domU.Bootargs))));
        }
        ModuleImage? dom0 = boot.Dom0 is null ? null
            : Module(boot.Dom0.Image, ModuleAddresses.Dom0, boot.Dom0.ModuleBootargs ?? GuestBootargs.ForModule(boot.Dom0.Bootargs));
        return DomainNodes.Chosen(boot.Xen!.CommandLine, dom0, domUs);
    }

    private static ModuleImage Module(string image, ulong address, string bootargs)
    {
        ulong size = (ulong)new FileInfo(RequireFile(image, "image")).Length;
        if (size > ModuleAddresses.SlotBytes)
            throw new LaunchException($"{image}: {size} bytes, more than the {ModuleAddresses.SlotBytes >> 20} MiB each image has at its load address");
        return new ModuleImage(address, size, bootargs);
    }

    private static string[] Loader(string file, ulong address) =>
        new[] { "-device", $"loader,file={QemuCommand.OptionValue(file)},addr=0x{address:x},force-raw=on" };

    private static string RequireFile(string path, string what) =>
        File.Exists(path) ? path : throw new LaunchException($"no such {what}: {path}");
}
