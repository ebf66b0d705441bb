using System;
using System.Diagnostics;
using System.IO;

namespace GuestStub.Vectors.Generator;

/// <summary>The repository and dtc (device-tree-compiler 1.6.1, which ./build.sh setup installs).</summary>
public static class Dtc
{
    public static string RepoRoot() => GuestStub.Tests.Shared.RepoRoot.Location;

    public static string Fixture(params string[] parts) => Path.Combine(RepoRoot(), Path.Combine("tests", "fixtures", Path.Combine(parts)));

    /// <summary>A .dts fixture of tests/fixtures/dts compiled to a blob.</summary>
    public static byte[] CompileFixture(string name) => CompileFile(Fixture("dts", name + ".dts"));

    public static byte[] CompileSource(string dts)
    {
        string source = Path.Combine(Path.GetTempPath(), $"gueststub-vectors-{Environment.ProcessId}-{Guid.NewGuid():N}.dts");
        File.WriteAllText(source, dts);
        try
        {
            return CompileFile(source);
        }
        finally
        {
            File.Delete(source);
        }
    }

    public static byte[] CompileFile(string source)
    {
        string output = Path.Combine(Path.GetTempPath(), $"gueststub-vectors-{Environment.ProcessId}-{Guid.NewGuid():N}.dtb");
        var start = new ProcessStartInfo("dtc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-q", "-I", "dts", "-O", "dtb", "-o", output, source })
            start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dtc");
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dtc {source}: exit {process.ExitCode}: {stderr}");
        byte[] blob = File.ReadAllBytes(output);
        File.Delete(output);
        return blob;
    }
}
