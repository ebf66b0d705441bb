using System;
using System.Diagnostics;
using System.IO;

namespace GuestStub.Benchmarks;

/// <summary>The benchmark inputs: QEMU virt's tree (the committed fixture, compiled with dtc),
/// the dom0 tree Xen 4.17 built (committed as a captured DTB) and a generated tree with
/// thousands of nodes (compiled with dtc).</summary>
public static class Trees
{
    public static string RepoRoot() => GuestStub.Tests.Shared.RepoRoot.Location;

    public static byte[] Load(string name) => name switch
    {
        "qemu-virt" => CompileFile(Path.Combine(RepoRoot(), "tests", "fixtures", "dts", "qemu-virt-gicv3.dts")),
        // The tree Xen 4.17 built for dom0, captured by tests/fixtures/xen/capture.sh.
        "xen-dom0" => File.ReadAllBytes(Path.Combine(RepoRoot(), "tests", "fixtures", "xen", "dom0.dtb")),
        "generated-4k" => CompileText(Generated(64, 63)),
        _ => throw new ArgumentException(name),
    };

    /// <summary>The .dts of tests/fixtures/generate-bus-tree.sh: a root with <paramref name="buses"/>
    /// simple-bus nodes of <paramref name="devices"/> devices each (reg, compatible, interrupts,
    /// status, clock-frequency), plus a memory node and /chosen: 1 + buses * (devices + 1) + 2
    /// nodes. The guest test image's benchmark compiles the same script's output (build.sh), so
    /// the host and the guest measure the same blob.</summary>
    public static string Generated(int buses, int devices)
    {
        string script = Path.Combine(RepoRoot(), "tests", "fixtures", "generate-bus-tree.sh");
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(buses.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(devices.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using Process p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string dts = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{script}: exit {p.ExitCode}: {stderr.Result}");
        return dts;
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
