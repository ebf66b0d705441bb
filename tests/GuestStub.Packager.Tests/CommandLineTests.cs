using System;
using System.IO;
using System.Linq;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using GuestStub.Packager.Tests.TestSupport;
using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>The packager as the image build runs it (build/GuestImage.targets): `dotnet GuestStub.Packager.dll ...`, exit codes and outputs.</summary>
public sealed class CommandLineTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "GuestStub.Packager.dll");

    private static (Tool.Result Result, string Dir) Run(byte[] input, params string[] more)
    {
        string dir = Path.Combine(MiniGuest.Directory, "cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "in.elf"), input);
        Tool.Result r = Tool.Run("dotnet", new[] { Dll, "--input", Path.Combine(dir, "in.elf"), "--elf", Path.Combine(dir, "out.elf"),
            "--image", Path.Combine(dir, "out.img"), "--size-report", Path.Combine(dir, "size.txt"), "--version", "1.2.3", "--budget", "98304" }
            .Concat(more).ToArray());
        return (r, dir);
    }

    [Fact]
    public void Name_NamesTheTestImagesFilesInTheSummaryAndTheReport()
    {
        (Tool.Result r, string dir) = Run(MiniGuest.Linked(), "--name", "guest-tests");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.StartsWith("out/guest-tests.img ", r.Stdout);
        Assert.Contains("(out/guest-tests.size.txt)", r.Stdout);
        string report = File.ReadAllText(Path.Combine(dir, "size.txt"));
        Assert.Contains("Image (out/guest-tests.img): ", report);
        Assert.Contains("Kept in out/guest-tests.elf, not loaded", report);
        Assert.DoesNotContain("out/guest.", report);
    }

    [Fact]
    public void GoodInput_WritesTheThreeFilesAndOneSummaryLine()
    {
        (Tool.Result r, string dir) = Run(MiniGuest.Linked());
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Single(r.Stdout.TrimEnd().Split('\n'));
        Assert.StartsWith("out/guest.img ", r.Stdout);
        Assert.Contains("% of the 98304-byte budget", r.Stdout);
        Assert.True(File.Exists(Path.Combine(dir, "out.elf")));
        Assert.True(File.Exists(Path.Combine(dir, "out.img")));
        Assert.Contains("Image bytes by C# namespace", File.ReadAllText(Path.Combine(dir, "size.txt")));
    }

    [Fact]
    public void RefusedInput_ExitsOneWithTheReasonAndWritesNothing()
    {
        byte[] bad = Edit.Apply(MiniGuest.Linked(), f => f.EntryPointAddress += 4);
        (Tool.Result r, string dir) = Run(bad);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("would not boot", r.Stderr);
        Assert.Contains("EntryNotStart", r.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "out.elf")));
        Assert.False(File.Exists(Path.Combine(dir, "out.img")));
    }

    [Fact]
    public void UnwritableOutput_ExitsTwoWithOneLineNotAStackTrace()
    {
        string dir = Path.Combine(MiniGuest.Directory, "cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string input = Path.Combine(dir, "in.elf");
        File.WriteAllBytes(input, MiniGuest.Linked());
        string missing = Path.Combine(dir, "no-such-directory");
        Tool.Result r = Tool.Run("dotnet", Dll, "--input", input, "--elf", Path.Combine(missing, "out.elf"),
            "--image", Path.Combine(dir, "out.img"), "--size-report", Path.Combine(dir, "size.txt"), "--version", "1.2.3");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("packager: ", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "out.img")));
    }

    [Fact]
    public void UnknownOption_IsNamedAsUnknownEvenWithoutAValue()
    {
        Assert.Null(PackagerOptions.Parse(new[] { "--input", "x", "--bogus" }, out string error));
        Assert.Equal("unknown option '--bogus'", error);
        Assert.Null(PackagerOptions.Parse(new[] { "--input" }, out error));
        Assert.Equal("--input needs a value", error);
    }

    [Fact]
    public void MissingOptions_ExitTwoWithUsage()
    {
        Tool.Result r = Tool.Run("dotnet", Dll, "--input", "x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("usage:", r.Stderr);
    }
}
