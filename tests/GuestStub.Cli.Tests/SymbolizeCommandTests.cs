using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Cli;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Cli.Tests;

/// <summary><c>gueststub symbolize</c> on out/guest.elf (./build.sh build makes it; ./build.sh test builds first).</summary>
public sealed class SymbolizeCommandTests
{
    private static string GuestElf
    {
        get
        {
            string path = Path.Combine(RepoPaths.Root, "out", "guest.elf");
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run ./build.sh build first");
        }
    }

    private static (int Exit, string Out, string Err) Symbolize(string log)
    {
        string path = Path.Combine(Path.GetTempPath(), $"gueststub-symbolize-{Guid.NewGuid():N}.log");
        File.WriteAllText(path, log);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Program.Run(new[] { "symbolize", "--elf", GuestElf, path }, stdout, stderr);
        File.Delete(path);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void TwentyRandomCSharpMethodAddresses_GiveLlvmAddr2linesFileAndLine()
    {
        // Function symbols of C# methods (ilc names them <Assembly>_<Namespace>_...), from llvm-nm.
        var methods = new List<(ulong Address, ulong Size)>();
        foreach (string line in Run("llvm-nm-14", "--defined-only", "-S", GuestElf).Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 4 && f[2] is "t" or "T" && f[3].StartsWith("GuestStub_", StringComparison.Ordinal))
                methods.Add((Convert.ToUInt64(f[0], 16), Convert.ToUInt64(f[1], 16)));
        }
        Assert.True(methods.Count > 100, $"only {methods.Count} C# methods found");
        var random = new Random(20);
        ulong[] addresses = Enumerable.Range(0, 20).Select(_ =>
        {
            (ulong start, ulong size) = methods[random.Next(methods.Count)];
            return start + ((ulong)random.NextInt64((long)Math.Max(size, 4)) & ~3UL);
        }).ToArray();

        string log = string.Join("\n", addresses.Select(a => $"GuestStub:   ESR 0x96000005 ELR 0x{a:x} FAR 0x0 SPSR 0x3c5")) + "\n";
        (int exit, string output, string errors) = Symbolize(log);
        Assert.True(exit == 0, errors);
        string[] expected = Run("llvm-addr2line-14", new[] { "-e", GuestElf }.Concat(addresses.Select(a => $"0x{a:x}")).ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] ours = Regex.Matches(output, @"^    ELR 0x[0-9a-f]+: \S+ at (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.TrimEnd('\r')).ToArray();
        Assert.Equal(expected, ours);
        Assert.All(ours, o => Assert.Matches(@"\.cs:\d+$", o));
    }

    [Fact]
    public void LinesPassThroughUnchanged_ReturnAddressesAreLookedUpAtTheCall()
    {
        string log = "(XEN) something\nGuestStub: report status ok\n";
        Assert.Equal(log, Symbolize(log).Out.Replace("\r", ""));
    }

    [Fact]
    public void ANumberWiderThan64Bits_PassesThrough_AndTheLinesAfterItAreStillAnnotated()
    {
        // Before the fix the tool died here with an OverflowException, and `./build.sh run`
        // lost the rest of the console.
        string log = "GuestStub:   ESR 0x96000005 ELR 0xf0000000000000000 FAR 0x0\nGuestStub:     #0 pc 0xffffff8000080708\n";
        (int exit, string output, string errors) = Symbolize(log);
        Assert.True(exit == 0, errors);
        string[] lines = output.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("GuestStub:   ESR 0x96000005 ELR 0xf0000000000000000 FAR 0x0", lines[0]);
        Assert.Equal("GuestStub:     #0 pc 0xffffff8000080708", lines[1]);
        Assert.StartsWith("    pc 0xffffff8000080708: ", lines[2]);
    }

    [Fact]
    public void MissingElf_IsOneClearLine_Exit1()
    {
        var stderr = new StringWriter();
        int exit = Program.Run(new[] { "symbolize", "--elf", "/nonexistent/guest.elf", "-" }, new StringWriter(), stderr);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("no such ELF file", stderr.ToString());
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }

    private static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
            info.ArgumentList.Add(a);
        using Process p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
