using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace GuestStub.Benchmarks;

/// <summary>The benchmark inputs: QEMU virt's tree (the committed fixture, compiled with dtc),
/// the dom0 tree Xen 4.17 built (committed as a captured DTB) and a generated tree with
/// thousands of nodes (compiled with dtc).</summary>
public static class Trees
{
    public static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GuestStub.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("GuestStub.sln not found above " + AppContext.BaseDirectory);
    }

    public static byte[] Load(string name) => name switch
    {
        "qemu-virt" => CompileFile(Path.Combine(RepoRoot(), "tests", "fixtures", "dts", "qemu-virt-gicv3.dts")),
        // The tree Xen 4.17 built for dom0, captured by tests/fixtures/xen/capture.sh.
        "xen-dom0" => File.ReadAllBytes(Path.Combine(RepoRoot(), "tests", "fixtures", "xen", "dom0.dtb")),
        "generated-4k" => CompileText(Generated(64, 63)),
        _ => throw new ArgumentException(name),
    };

    /// <summary>A root with <paramref name="buses"/> simple-bus nodes of
    /// <paramref name="devices"/> devices each (reg, compatible, interrupts, status, clocks),
    /// plus a memory node and /chosen: 1 + buses * (devices + 1) + 2 nodes.</summary>
    public static string Generated(int buses, int devices)
    {
        var dts = new StringBuilder("/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n\tcompatible = \"gueststub,generated\";\n");
        dts.Append("\tmemory@40000000 { device_type = \"memory\"; reg = <0x0 0x40000000 0x0 0x40000000>; };\n");
        dts.Append("\tchosen { bootargs = \"console=hvc0\"; };\n");
        for (int b = 0; b < buses; b++)
        {
            ulong busBase = 0x100000000UL + (ulong)b * 0x1000000;
            dts.Append($"\tbus@{busBase:x} {{\n\t\tcompatible = \"simple-bus\";\n\t\t#address-cells = <1>;\n\t\t#size-cells = <1>;\n");
            dts.Append($"\t\tranges = <0x0 0x{busBase >> 32:x} 0x{busBase & 0xffffffff:x} 0x1000000>;\n");
            for (int d = 0; d < devices; d++)
            {
                uint offset = (uint)d * 0x1000;
                dts.Append($"\t\tdevice@{offset:x} {{\n\t\t\tcompatible = \"vendor,device-{d % 7}\", \"vendor,device\";\n");
                dts.Append($"\t\t\treg = <0x{offset:x} 0x1000>;\n\t\t\tinterrupts = <0 {d} 4>;\n\t\t\tstatus = \"okay\";\n\t\t\tclock-frequency = <24000000>;\n\t\t}};\n");
            }
            dts.Append("\t};\n");
        }
        return dts.Append("};\n").ToString();
    }

    private static byte[] CompileText(string dts)
    {
        string source = Path.Combine(Path.GetTempPath(), $"gueststub-bench-{Environment.ProcessId}.dts");
        File.WriteAllText(source, dts);
        return CompileFile(source);
    }

    private static byte[] CompileFile(string source)
    {
        string output = Path.Combine(Path.GetTempPath(), $"gueststub-bench-{Environment.ProcessId}-{Path.GetFileNameWithoutExtension(source)}.dtb");
        Run("dtc", $"-q -I dts -O dtb -o {output} {source}");
        return File.ReadAllBytes(output);
    }

    public static void Run(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, UseShellExecute = false };
        using Process p = Process.Start(start)!;
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {arguments}: exit {p.ExitCode}: {stderr}");
    }
}
