using System.Linq;
using GuestStub.Launch.Running;
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

/// <summary>
/// What ./build.sh debug sets up, driven by a batch gdb: QEMU halted with its gdb stub, a
/// breakpoint on the C# entry point, a source-level step.
/// </summary>
public class SourceLevelDebuggingTests
{
    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gdb_stops_at_the_CSharp_entry_and_steps_to_the_next_source_line(bool underXen)
    {
        int port = FreePort();
        // The machine halted at reset with its gdb stub, as gueststub debug starts it.
        var shape = new BootShape { Bare = !underXen, GdbPort = port };
        using RunningBoot qemu = Launcher.Start(Launcher.Prepare(Boots.Describe(shape), RepoPaths.TempDirectory("gdb")));
        try
        {
            var (code, output) = ToolRunner.Run("gdb-multiarch", "-batch", "-nx", RepoPaths.GuestElf,
                "-ex", "set tcp connect-timeout 20",
                "-ex", $"target remote 127.0.0.1:{port}",
                "-ex", "break GuestStub_Guest_GuestStub_Guest_Entry__Main",
                "-ex", "continue",
                "-ex", "next",
                "-ex", "frame",
                "-ex", "kill");
            Assert.True(code == 0, output);
            var hit = System.Text.RegularExpressions.Regex.Match(output,
                @"Breakpoint 1, GuestStub_Guest_GuestStub_Guest_Entry__Main \(dtbPhys=\d+, entryEl=1, physOffset=\d+\) at \S+/src/GuestStub.Guest/Entry.cs:(\d+)");
            Assert.True(hit.Success, output);
            var after = System.Text.RegularExpressions.Regex.Match(output, @"#0  GuestStub_Guest_GuestStub_Guest_Entry__Main .* at \S+/Entry.cs:(\d+)");
            Assert.True(after.Success, output);
            Assert.True(int.Parse(after.Groups[1].Value) > int.Parse(hit.Groups[1].Value), "next did not advance\n" + output);
        }
        finally
        {
            qemu.Interrupt();
            qemu.Wait();
        }
    }
}
