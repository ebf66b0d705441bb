using System.IO;
using System.Linq;
using GuestStub.Cli;
using GuestStub.ElfInputChecks.Tests.TestSupport;
using LibObjectFile.Elf;
using Xunit;

namespace GuestStub.ElfInputChecks.Tests;

/// <summary><c>gueststub elf</c>: readelf-like output for good files, one diagnostic line each and exit 1 for bad ones.</summary>
public sealed class ElfCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void PrintsHeaderSegmentsSectionsSymbolsAndNotes()
    {
        var (exit, output, errors) = Run("elf", Fixtures.AArch64Executable);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("", errors);
        Assert.Contains("ELF Header:", output);
        Assert.Contains("AArch64", output);
        Assert.Contains("Program Headers:", output);
        Assert.Contains("LOAD", output);
        Assert.Contains("Section Headers:", output);
        Assert.Contains(".text", output);
        Assert.Contains("Symbol table '.symtab'", output);
        Assert.Contains(" entry", output);
        Assert.Contains("NT_GNU_BUILD_ID", output);
        Assert.Contains("Build ID: ", output);
    }

    [Fact]
    public void BigEndianElf32_IsPrinted()
    {
        var (exit, output, _) = Run("elf", Fixtures.Find("mips-linux-gnu.o"));
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("ELF32", output);
        Assert.Contains("big endian", output);
        Assert.Contains(".rel.text", output);
    }

    [Fact]
    public void MalformedFile_DiagnosticsOnStderr_Exit1()
    {
        byte[] bytes = File.ReadAllBytes(Fixtures.Find("aarch64-linux-gnu.o"));
        bytes[0x3a] = 1; // e_shentsize
        string path = Path.Combine(Fixtures.Directory, "bad-shentsize.o");
        File.WriteAllBytes(path, bytes);
        var (exit, _, errors) = Run("elf", path);
        Assert.Equal(ExitCodes.BadInput, exit);
        string[] lines = errors.TrimEnd().Split('\n');
        Assert.All(lines, l => Assert.StartsWith($"gueststub elf: {path}: ", l));
        Assert.Contains(lines, l => l.Contains("e_shentsize at 0x3a: "));
        Assert.DoesNotContain("   at ", errors);
    }

    [Fact]
    public void NotElf_AndMissingFile_Exit1_NoArguments_Exit2()
    {
        string path = Path.Combine(Fixtures.Directory, "not-elf.txt");
        File.WriteAllText(path, "hello, world\n");
        Assert.Equal(ExitCodes.BadInput, Run("elf", path).Exit);
        Assert.Equal(ExitCodes.BadInput, Run("elf", Path.Combine(Fixtures.Directory, "does-not-exist")).Exit);
        Assert.Equal(ExitCodes.Usage, Run("elf").Exit);
        Assert.Equal(ExitCodes.Usage, Run("elf", "a", "b").Exit);
    }
}
