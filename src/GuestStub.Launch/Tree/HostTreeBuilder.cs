using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.Launch.Machine;

namespace GuestStub.Launch.Tree;

/// <summary>
/// The host tree of a dom0less boot: QEMU's own tree for the machine (dumped with
/// <c>-M ...,dumpdtb=</c>), decompiled with dtc, the domains' nodes appended as a second root
/// block (<see cref="DtsSource"/>) and compiled back. The machine must be the one that boots,
/// with <c>dtb-randomness=off</c> so the tree dumped is the tree it would have built.
/// </summary>
public static class HostTreeBuilder
{
    /// <summary>Where the tree the nodes are added to comes from: the machine's own tree as
    /// device-tree source, given the machine and a directory for work files.</summary>
    public delegate string BaseTree(QemuMachine machine, string workDirectory);

    /// <summary>QEMU's tree for the machine: dumped, then decompiled.</summary>
    public static string QemuTree(QemuMachine machine, string workDirectory) =>
        Decompile(Dump(machine, Path.Combine(workDirectory, "qemu-virt.dtb")));

    /// <summary>Writes the host tree for <paramref name="machine"/> with <paramref name="chosen"/>
    /// merged into its /chosen to <paramref name="outputDtb"/>; returns the source it compiled.
    /// The tree comes from <paramref name="baseTree"/> (QEMU's own unless a caller has another).</summary>
    public static string Write(QemuMachine machine, DtNode chosen, string outputDtb, BaseTree? baseTree = null)
    {
        string work = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputDtb))!, Path.GetFileNameWithoutExtension(outputDtb) + ".work");
        Directory.CreateDirectory(work);
        string source = (baseTree ?? QemuTree)(machine, work) + DtsSource.RootBlock("/", new[] { chosen });
        string dts = Path.Combine(work, "host.dts");
        File.WriteAllText(dts, source);
        Compile(dts, outputDtb);
        return source;
    }

    /// <summary>The tree QEMU builds for <paramref name="machine"/>, written to <paramref name="path"/>.</summary>
    public static string Dump(QemuMachine machine, string path)
    {
        File.Delete(path);
        // The tree does not depend on -icount, and nothing runs to count.
        var arguments = new List<string>((machine with { Icount = false }).Arguments);
        arguments[arguments.IndexOf("-M") + 1] = machine.MachineOption + ",dumpdtb=" + path;
        arguments.Add("-nographic");
        HostTool.Result result = HostTool.Run(QemuMachine.Emulator, arguments.ToArray());
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
            throw new LaunchException($"QEMU did not dump its tree (status {result.ExitCode}): {result.Output.Trim()}");
        return path;
    }

    /// <summary>A DTB as device-tree source (<c>dtc -I dtb -O dts</c>).</summary>
    public static string Decompile(string dtb)
    {
        HostTool.Result result = HostTool.Run("dtc", "-q", "-I", "dtb", "-O", "dts", dtb);
        if (result.ExitCode != 0)
            throw new LaunchException($"dtc could not decompile {dtb}: {result.StandardError.Trim()}");
        return result.StandardOutput;
    }

    /// <summary>Device-tree source compiled to a DTB (<c>dtc -I dts -O dtb</c>).</summary>
    public static void Compile(string dts, string outputDtb)
    {
        HostTool.Result result = HostTool.Run("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", outputDtb, dts);
        if (result.ExitCode != 0)
            throw new LaunchException($"dtc could not compile the host tree {dts}: {result.StandardError.Trim()}");
    }
}
