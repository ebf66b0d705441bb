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
/// Xen booted as Xen's own arm64 CI boots it (automation/scripts/qemu-smoke-dom0less-arm64.sh):
/// QEMU virt with EL2 runs Debian's U-Boot (<c>-bios</c>), which is typed
/// <c>virtio scan; dhcp; tftpb 0x40000000 boot.scr; source 0x40000000</c> on its console before
/// its autoboot runs. The script, written as ImageBuilder's <c>uboot-script-gen</c> writes one
/// and made with <c>mkimage</c>, loads Xen, each domain's image and the host tree over TFTP from
/// QEMU's user network (<c>tftp=</c> the work directory), adds the domains' nodes to /chosen
/// with U-Boot's <c>fdt</c> commands (<see cref="UBootFdtCommands"/> over the same
/// <see cref="DomainNodes"/> the QEMU loader flow compiles with dtc) and starts Xen with
/// <c>booti</c>. The host tree is QEMU's own, dumped, with the pl061 disabled as the CI does,
/// or the description's <see cref="BootDescription.Dtb"/> as it is.
/// </summary>
public sealed record UBootFlow : BootFlow
{
    public static UBootFlow Instance { get; } = new();

    public override string Name => "U-Boot";

    /// <summary>Debian's <c>u-boot-qemu</c> for QEMU's arm64 virt.</summary>
    public const string Firmware = "/usr/lib/u-boot/qemu_arm64/u-boot.bin";

    /// <summary>The directory under the work directory QEMU serves over TFTP.</summary>
    public const string TftpDirectory = "tftp";

    /// <summary>The script's source (ImageBuilder's <c>UBOOT_SOURCE</c>).</summary>
    public string SourceName { get; init; } = "boot.source";

    /// <summary>The script (ImageBuilder's <c>UBOOT_SCRIPT</c>), as U-Boot fetches it.</summary>
    public string ScriptName { get; init; } = "boot.scr";

    /// <summary>The pl061 GPIO controller of QEMU virt's tree, which Xen's CI disables in the tree it hands Xen.</summary>
    public const string Pl061Path = "/pl061@9030000";

    /// <summary>How U-Boot loads each file: ImageBuilder's <c>LOAD_CMD</c>, TFTP here.</summary>
    public const string LoadCommand = "tftpb";

    /// <summary>More U-Boot commands, run after the tree is edited and before Xen is booted
    /// (ImageBuilder's <c>APPEND_EXTRA_CMDS</c>).</summary>
    public IReadOnlyList<string> ExtraCommands { get; init; } = System.Array.Empty<string>();

    /// <summary>Where QEMU's firmware is found (a test may name another file).</summary>
    public string FirmwarePath { get; init; } = Firmware;

    /// <summary>Where the tree to edit comes from when the description names none: QEMU's own
    /// (a test may give a fixed one).</summary>
    public HostTreeBuilder.BaseTree? BaseTree { get; init; }

    /// <summary>What is typed on U-Boot's console: the first spaces stop its autoboot countdown
    /// ("Hit any key to stop autoboot"), the rest is Xen's CI's command.</summary>
    public string ConsoleCommand =>
        $"  virtio scan; dhcp; {LoadCommand} {Hex(ModuleAddresses.BootScript)} {ScriptName}; source {Hex(ModuleAddresses.BootScript)}\n";

    public override PreparedBoot Prepare(BootDescription boot, string workDirectory)
    {
        if (boot.Xen is null)
            throw new LaunchException("the U-Boot flow boots Xen: a bare boot goes through QEMU's loader");
        if (boot.Dom0 is null && boot.DomUs.Count == 0)
            throw new LaunchException("a boot without dom0 needs domUs");
        if (boot.Files.Count > 0)
            throw new LaunchException("files for QEMU's loader device are not loaded in the U-Boot flow (U-Boot owns the memory until Xen runs)");
        boot.Machine.Validate();
        RequireFile(FirmwarePath, "U-Boot firmware (Debian's u-boot-qemu: ./build.sh setup installs it)");
        QemuMachine machine = boot.Machine with { Virtualization = true, DtbRandomness = false };

        string tftp = Path.Combine(Path.GetFullPath(workDirectory), TftpDirectory);
        if (Directory.Exists(tftp))
            Directory.Delete(tftp, recursive: true);
        Directory.CreateDirectory(tftp);

        string hostTree = Path.Combine(tftp, QemuLoaderFlow.HostTreeFile);
        WriteHostTree(boot, machine, hostTree, tftp);
        DtNode chosen = QemuLoaderFlow.ChosenNodes(boot);
        var loads = new List<(ulong Address, string File)> { (ModuleAddresses.Xen, Serve(boot.Xen.Image.Path, tftp, "xen")) };
        if (boot.Dom0 is not null)
            loads.Add((ModuleAddresses.Dom0, Serve(boot.Dom0.Image, tftp, "dom0.img")));
        for (int i = 1; i <= boot.DomUs.Count; i++)
            loads.Add((ModuleAddresses.DomU(i), Serve(boot.DomUs[i - 1].Image, tftp, $"domU{i}.img")));
        loads.Add((ModuleAddresses.HostTree, QemuLoaderFlow.HostTreeFile));
        Fits(Path.Combine(tftp, "xen"), ModuleAddresses.HostTree - ModuleAddresses.Xen, "Xen");

        IReadOnlyList<string> fdt = UBootFdtCommands.Commands("/", chosen, nodeExists: true);
        Fits(hostTree, ModuleAddresses.Dom0 - ModuleAddresses.HostTree - ResizeBytes(fdt), "the host tree");
        string source = Script(loads, fdt, ExtraCommands);
        string sourcePath = Path.Combine(tftp, SourceName);
        File.WriteAllText(sourcePath, source);
        MakeImage(sourcePath, Path.Combine(tftp, ScriptName));

        var args = new List<string> { QemuMachine.Emulator };
        args.AddRange(machine.Arguments);
        args.AddRange(new[]
        {
            "-nographic", "-no-reboot",
            "-device", "virtio-net-pci,netdev=n0",
            "-netdev", "user,id=n0,tftp=" + QemuCommand.OptionValue(tftp),
            "-bios", FirmwarePath,
        });
        if (boot.GdbPort is int port)
            args.AddRange(new[] { "-S", "-gdb", "tcp:127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) });
        return new PreparedBoot(boot, new QemuCommand(args), hostTree) { ConsoleInput = ConsoleCommand, FirmwareFirst = true };
    }

    /// <summary>The script's text: each file loaded at its slot, the tree edited, Xen booted,
    /// as ImageBuilder's <c>uboot-script-gen</c> orders it.</summary>
    public static string Script(IEnumerable<(ulong Address, string File)> loads, IReadOnlyList<string> fdtCommands, IReadOnlyList<string>? extraCommands = null)
    {
        var lines = loads.Select(l => $"{LoadCommand} {Hex(l.Address)} {l.File}").ToList();
        lines.Add($"fdt addr {Hex(ModuleAddresses.HostTree)}");
        lines.Add($"fdt resize {ResizeBytes(fdtCommands).ToString(CultureInfo.InvariantCulture)}");
        lines.AddRange(fdtCommands);
        lines.AddRange(extraCommands ?? System.Array.Empty<string>());
        // U-Boot would otherwise move the tree before booting; Xen is handed it where it is.
        lines.Add("setenv fdt_high 0xffffffffffffffff");
        lines.Add($"booti {Hex(ModuleAddresses.Xen)} - {Hex(ModuleAddresses.HostTree)}");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The room <c>fdt resize</c> adds: ImageBuilder's 1024 bytes, or more when the
    /// commands' text (longer than what they add to the tree) says they could need it.</summary>
    private static ulong ResizeBytes(IReadOnlyList<string> fdtCommands)
    {
        ulong text = (ulong)fdtCommands.Sum(c => c.Length + 16);
        return text <= 1024 ? 1024 : (text + 1023) / 1024 * 1024;
    }

    private void WriteHostTree(BootDescription boot, QemuMachine machine, string hostTree, string tftp)
    {
        if (boot.Dtb is not null)
        {
            File.Copy(RequireFile(boot.Dtb, "host tree (DEVICE_TREE)"), hostTree);
            return;
        }
        if (BaseTree is not null)
        {
            string dts = Path.Combine(tftp, "..", "base.dts");
            File.WriteAllText(dts, BaseTree(machine, Path.GetDirectoryName(dts)!));
            HostTreeBuilder.Compile(dts, hostTree);
        }
        else
        {
            HostTreeBuilder.Dump(machine, hostTree);
        }
        HostTool.Result result = HostTool.Run("fdtput", "-t", "s", hostTree, Pl061Path, "status", "disabled");
        if (result.ExitCode != 0)
            throw new LaunchException($"fdtput could not disable {Pl061Path} in {hostTree}: {result.Output.Trim()}");
    }

    /// <summary>The script made a U-Boot image (<c>mkimage -A arm64 -T script -C none</c>, as
    /// ImageBuilder makes it).</summary>
    private static void MakeImage(string source, string script)
    {
        string address = Hex(ModuleAddresses.BootScript);
        HostTool.Result result;
        try
        {
            result = HostTool.Run("mkimage", "-A", "arm64", "-T", "script", "-C", "none", "-a", address, "-e", address, "-d", source, script);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new LaunchException("mkimage cannot be run: it is in u-boot-tools (./build.sh setup installs it)");
        }
        if (result.ExitCode != 0)
            throw new LaunchException($"mkimage could not make {script}: {result.Output.Trim()}");
    }

    /// <summary>A copy of <paramref name="file"/> in the TFTP directory, as <paramref name="name"/>.</summary>
    private static string Serve(string file, string tftp, string name)
    {
        File.Copy(RequireFile(file, "image"), Path.Combine(tftp, name), overwrite: true);
        return name;
    }

    private static void Fits(string file, ulong room, string what)
    {
        ulong size = (ulong)new FileInfo(file).Length;
        if (size > room)
            throw new LaunchException($"{what} ({file}): {size} bytes, more than the {room} bytes it has at its load address");
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string RequireFile(string path, string what) =>
        File.Exists(path) ? path : throw new LaunchException($"no such {what}: {path}");
}
