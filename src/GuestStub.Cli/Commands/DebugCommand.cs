using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using GuestStub.Cli.CommandLine;
using GuestStub.Launch;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Running;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub debug [run's options] [--gdb-port PORT]</c>: the machine <c>run</c> would boot,
/// halted at reset with QEMU's gdb stub, and gdb-multiarch on the image's ELF attached and
/// stopped at the C# entry point. QEMU's console goes to out/debug-console.log. However gdb ends
/// (quit, a crash, a kill), QEMU is stopped with it: it would otherwise wait for a debugger
/// forever.
/// </summary>
public sealed class DebugCommand : Verb
{
    /// <summary>The C# entry points gdb stops at: the product's and the test image's.</summary>
    public const string Entry = "GuestStub_Guest_GuestStub_Guest_Entry__Main";
    public const string TestsEntry = "GuestStub_GuestTests_GuestStub_GuestTests_TestEntry__Main";

    public override string Name => "debug";
    public override string Synopsis => "debug [run's options] [--gdb-port PORT]";
    public override string Summary => "boot halted with QEMU's gdb stub and attach gdb-multiarch at the C# entry";

    private readonly BootShapeOptions _shape = new();
    private readonly Option<int> _port = CliValues.Bounded("--gdb-port", "QEMU's gdb stub port on 127.0.0.1", 1, 65535, 1234);

    protected override void Define(Command command)
    {
        _shape.AddTo(command);
        command.Options.Add(_port);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        const string who = "gueststub debug";
        ProjectLayout layout = ProjectLayout.Find();
        BootShape shape = _shape.Shape(parse) with { GdbPort = parse.GetValue(_port) };
        GuestImageFiles files = shape.ImageFiles(layout);
        if (!File.Exists(files.Elf))
            throw new LaunchException($"{files.Elf} is missing: gdb needs the image's ELF (./build.sh build writes it)");
        PreparedBoot prepared = Launcher.Prepare(shape.Describe(layout), Path.Combine(layout.Obj, "debug"));
        string console = Path.Combine(layout.Out, "debug-console.log");
        context.Error.WriteLine($"{who}: running: {prepared.Command.ShellLine}");
        using var log = new StreamWriter(console) { AutoFlush = true };
        using RunningBoot qemu = Launcher.Start(prepared, new ConsoleLog(log), ownSession: true);
        context.Error.WriteLine($"{who}: QEMU console: {layout.Relative(console)} (tail -f it in another terminal)");

        // Ctrl-C belongs to gdb (it interrupts the target); a SIGTERM ends the session, QEMU too.
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, s => s.Cancel = true);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => qemu.Interrupt());
        int status;
        try
        {
            status = RunGdb(files.Elf, parse.GetValue(_port), shape.Tests ? TestsEntry : Entry);
        }
        finally
        {
            qemu.Interrupt();
            qemu.Wait();
        }
        return status == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    /// <summary>gdb-multiarch on the terminal, attached to QEMU's stub and stopped at the entry;
    /// its exit status.</summary>
    private static int RunGdb(string elf, int port, string entry)
    {
        var info = new ProcessStartInfo("gdb-multiarch") { UseShellExecute = false };
        foreach (string a in new[] { "-q", elf, "-ex", "target remote 127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "-ex", "break " + entry, "-ex", "continue" })
            info.ArgumentList.Add(a);
        try
        {
            using Process gdb = Process.Start(info) ?? throw new LaunchException("cannot start gdb-multiarch");
            gdb.WaitForExit();
            return gdb.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LaunchException($"gdb-multiarch cannot be run ({e.Message}): ./build.sh setup installs it");
        }
    }

    /// <summary>QEMU's console, line by line, into the log file.</summary>
    private sealed class ConsoleLog(TextWriter log) : BootObserver
    {
        public override void OnOutput(string raw, bool standardError) => log.WriteLine(raw);
    }
}
