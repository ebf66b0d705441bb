using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace GuestStub.Tests.TestSupport;

/// <summary>Runs dtc and fdtget (device-tree-compiler 1.6.1) and caches compiled fixtures.</summary>
public static class Tools
{
    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Compiled = new();
    private static readonly string WorkDir = Directory.CreateTempSubdirectory("gueststub-dt-").FullName;

    /// <summary>Prefix of the fixtures that are DTBs captured from Xen (tests/fixtures/xen/*.dtb,
    /// committed as data) rather than .dts sources: "xen-captured-dom0" is xen/dom0.dtb.</summary>
    public const string CapturedPrefix = "xen-captured-";

    /// <summary>Names of the fixtures, sorted: the .dts sources (without extension), then the
    /// captured DTBs (<see cref="CapturedPrefix"/> + file name without extension).</summary>
    public static IEnumerable<string> FixtureNames() =>
        Directory.GetFiles(RepoPaths.DtsFixtures, "*.dts").Select(p => Path.GetFileNameWithoutExtension(p)!).Order()
            .Concat(Directory.GetFiles(RepoPaths.XenFixtures, "*.dtb").Select(p => CapturedPrefix + Path.GetFileNameWithoutExtension(p)!).Order());

    private static string? CapturedPath(string fixture) =>
        fixture.StartsWith(CapturedPrefix, StringComparison.Ordinal)
            ? Path.Combine(RepoPaths.XenFixtures, fixture[CapturedPrefix.Length..] + ".dtb")
            : null;

    public static TheoryDataFixtures Fixtures() => new();

    /// <summary>The fixture compiled by dtc, or the captured DTB read (once per test run).</summary>
    public static byte[] Dtb(string fixture) =>
        Compiled.GetOrAdd(fixture, name => new Lazy<byte[]>(() => CompileFixture(name))).Value;

    /// <summary>Path of the compiled fixture on disk, for fdtget and dtc.</summary>
    public static string DtbPath(string fixture)
    {
        if (CapturedPath(fixture) is string captured)
            return captured;
        Dtb(fixture);
        return Path.Combine(WorkDir, fixture + ".dtb");
    }

    private static byte[] CompileFixture(string name)
    {
        if (CapturedPath(name) is string captured)
            return File.ReadAllBytes(captured);
        string output = Path.Combine(WorkDir, name + ".dtb");
        Run("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", output, Path.Combine(RepoPaths.DtsFixtures, name + ".dts"));
        return File.ReadAllBytes(output);
    }

    /// <summary>Compiles DTS text given inline.</summary>
    public static byte[] CompileSource(string dts)
    {
        string source = Path.Combine(WorkDir, Guid.NewGuid().ToString("N") + ".dts");
        File.WriteAllText(source, dts);
        string output = Path.ChangeExtension(source, ".dtb");
        Run("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", output, source);
        return File.ReadAllBytes(output);
    }

    /// <summary>Runs a tool and returns its stdout; fails the test on a non-zero exit.</summary>
    public static string Run(string tool, params string[] args)
    {
        (int exit, string stdout, string stderr) = RunUnchecked(tool, args);
        if (exit != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout;
    }

    /// <summary>Runs a tool and returns its exit code, stdout and stderr, whatever the exit code.</summary>
    public static (int Exit, string Stdout, string Stderr) RunUnchecked(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderrTask.Result);
    }
}

public sealed class TheoryDataFixtures : Xunit.TheoryData<string>
{
    public TheoryDataFixtures()
    {
        foreach (string name in Tools.FixtureNames())
            Add(name);
    }
}
