using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.Fuzz;

/// <summary>
/// A quick check of the coverage-guided fuzzing harness (tests/GuestStub.Fuzz), which
/// <c>./build.sh fuzz TARGET</c> runs under afl-fuzz: every available target runs the fixture
/// corpus (the fixture trees; for <c>symbolize</c> the console logs of tests/fixtures/console) and
/// every minimised finding (tests/GuestStub.Fuzz/regressions/TARGET) without a finding. The long
/// campaigns are the command, not this.
/// </summary>
public class FuzzHarnessTests
{
    /// <summary>The harness as built with this test binary (same configuration).</summary>
    private static string Harness
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            string path = Path.Combine(RepoPaths.Root, "tests", "GuestStub.Fuzz", "bin", configuration, "net10.0", "GuestStub.Fuzz.dll");
            Assert.True(File.Exists(path), "the fuzz harness is not built: " + path);
            return path;
        }
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        (int exit, string stdout, string stderr) = Tools.RunUnchecked("dotnet", new[] { Harness }.Concat(args).ToArray());
        return (exit, stdout + stderr);
    }

    private static IEnumerable<string> Regressions(string target)
    {
        string dir = Path.Combine(RepoPaths.Root, "tests", "GuestStub.Fuzz", "regressions", target);
        return Directory.Exists(dir) ? Directory.GetFiles(dir).Order() : Enumerable.Empty<string>();
    }

    [Theory]
    [InlineData("dtb")]
    [InlineData("regions")]
    public void Tree_targets_run_the_fixtures_and_their_regressions(string target)
    {
        var inputs = Tools.FixtureNames().Select(Tools.DtbPath).Concat(Regressions(target)).ToArray();
        (int exit, string output) = Run(new[] { target }.Concat(inputs).ToArray());
        Assert.True(exit == 0, output);
        Assert.Contains($"{inputs.Length} input(s), no finding", output);
    }

    [Fact]
    public void Regions_target_runs_its_built_in_raw_seeds()
    {
        string dir = Directory.CreateTempSubdirectory("gueststub-fuzz-seeds-").FullName;
        try
        {
            Assert.Equal(0, Run("--seeds", "regions", dir).Exit);
            string[] seeds = Directory.GetFiles(dir);
            Assert.NotEmpty(seeds);
            (int exit, string output) = Run(new[] { "regions" }.Concat(seeds).ToArray());
            Assert.True(exit == 0, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Elf_target_refuses_garbage_without_a_finding()
    {
        string dir = Directory.CreateTempSubdirectory("gueststub-fuzz-elf-").FullName;
        try
        {
            string empty = Path.Combine(dir, "empty"), header = Path.Combine(dir, "header");
            File.WriteAllBytes(empty, Array.Empty<byte>());
            File.WriteAllBytes(header, new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0xb7, 0 });
            (int exit, string output) = Run(new[] { "elf", empty, header }.Concat(Regressions("elf")).ToArray());
            Assert.True(exit == 0, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Symbolize_target_runs_the_console_logs_and_its_regressions()
    {
        string logs = Path.Combine(RepoPaths.Root, "tests", "fixtures", "console");
        string[] inputs = Directory.GetFiles(logs, "*.log").Order().Concat(Regressions("symbolize")).ToArray();
        Assert.NotEmpty(Directory.GetFiles(logs, "*.log"));
        (int exit, string output) = Run(new[] { "symbolize" }.Concat(inputs).ToArray());
        Assert.True(exit == 0, output);
        Assert.Contains($"{inputs.Length} input(s), no finding", output);
    }

    [Fact]
    public void Every_target_is_listed_in_order()
    {
        (int exit, string output) = Run("--list");
        Assert.Equal(0, exit);
        Assert.Equal(new[] { "dtb", "regions", "elf", "symbolize" }, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
    }
}
