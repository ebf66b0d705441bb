using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>What users inspect the produced ELF with: readelf and gdb-multiarch.</summary>
public class DebugInfoTests
{
    [Fact]
    public void Readelf_reports_an_AArch64_executable_with_entry_at_start()
    {
        var (code, output) = ToolRunner.Run("llvm-readelf-14", "-h", RepoPaths.GuestElf);
        Assert.True(code == 0, output);
        Assert.Matches(@"Class:\s+ELF64", output);
        Assert.Matches(@"Type:\s+EXEC \(Executable file\)", output);
        Assert.Matches(@"Machine:\s+AArch64", output);
        ulong start = ToolRunner.SymbolAddress(RepoPaths.GuestElf, "_start");
        Assert.Matches($@"Entry point address:\s+0x{start:X}", output);
    }

    [Fact]
    public void Gdb_finds_a_CSharp_method_and_maps_it_to_its_source_file_and_line()
    {
        var (code, output) = ToolRunner.Run("gdb-multiarch", "-batch", "-nx",
            "-ex", "info functions Entry__Main$",
            "-ex", "info line GuestStub_Guest_GuestStub_Guest_Entry__Main",
            RepoPaths.GuestElf);
        Assert.True(code == 0, output);
        Assert.Contains("void GuestStub_Guest_GuestStub_Guest_Entry__Main(ulong, ulong, ulong);", output);
        Assert.Matches(@"Line \d+ of "".*src/GuestStub.Guest/Entry.cs""", output);
    }
}
