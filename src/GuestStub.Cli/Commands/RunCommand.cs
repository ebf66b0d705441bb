using System;
using System.CommandLine;
using System.IO;
using System.Runtime.InteropServices;
using GuestStub.Cli.CommandLine;
using GuestStub.Launch;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Running;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub run [options]</c>: boots the built guest, by default as dom0 under Xen 4.17 in
/// QEMU virt (<c>-m 1G</c>, <c>dom0_mem=128M</c>, 1 vCPU, GICv3), and shows the console as it
/// comes, each line with an ELR or backtrace address followed by its C# method and file:line
/// (<see cref="Symbolizer"/>). It prints the QEMU command line first. Exit 0 when QEMU exited by
/// itself with status 0; otherwise 1, with what happened (QEMU's status, the timeout, a kill).
/// <c>--dry-run</c> prints the command, one argument a line, writes what it needs (the dom0less
/// host tree) and boots nothing.
/// </summary>
public sealed class RunCommand : Verb
{
    public override string Name => "run";
    public override string Synopsis => "run [--bare [--el2]] [--domu|--domus N] [--domu-plain] [--static-evtchn] [--xen V|PATH] [--dry-run] ...";
    public override string Summary => "boot the guest in QEMU (under Xen, or --bare) and show its console";

    private readonly BootShapeOptions _shape = new();
    private readonly Option<bool> _dryRun = CliValues.Flag("--dry-run", "print the QEMU command, one argument a line, and write the host tree it names; boot nothing");

    protected override void Define(Command command)
    {
        _shape.AddTo(command);
        command.Options.Add(_dryRun);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        const string who = "gueststub run";
        ProjectLayout layout = ProjectLayout.Find();
        BootShape shape = _shape.Shape(parse);
        PreparedBoot prepared = Launcher.Prepare(shape.Describe(layout), Path.Combine(layout.Obj, "run"));
        if (parse.GetValue(_dryRun))
        {
            foreach (string argument in prepared.Command.Arguments)
                context.Out.WriteLine(argument);
            return ExitCodes.Ok;
        }

        // The build's images always have their ELF; an image of one's own is symbolized when an
        // ELF of the same name sits beside it.
        GuestImageFiles files = shape.ImageFiles(layout);
        bool symbolize = shape.Image is null || File.Exists(files.Elf);
        using Symbolizer? symbolizer = symbolize ? Symbolizer.Open(files.Elf, context.Error, who) : null;
        if (symbolize && symbolizer is null)
            return ExitCodes.BadInput;
        if (!symbolize)
            context.Error.WriteLine($"{who}: no {Path.GetFileName(files.Elf)} beside {shape.Image}: addresses in the console are not named");
        context.Error.WriteLine($"{who}: running: {prepared.Command.ShellLine}");
        var console = new LiveConsole(context.Out, symbolizer);
        using RunningBoot running = Launcher.Start(prepared, console);
        BootRun run;
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt))
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt))
            run = running.Wait();

        void Interrupt(PosixSignalContext signal)
        {
            signal.Cancel = true;
            running.Interrupt();
        }

        context.Out.Flush();
        // Both are told when both failed.
        if (symbolizer?.Failed == true)
            context.Error.WriteLine($"{who}: error: {LlvmLineTable.Tool} stopped; the addresses after that are not named");
        if (run.Outcome.End == BootEnd.StoppedAfterVerdicts)
            context.Error.WriteLine($"{who}: {run.Outcome.Describe()}");
        if (!run.Outcome.Finished)
        {
            context.Error.WriteLine($"{who}: error: {run.Outcome.Describe()}");
            return run.Outcome.End == BootEnd.Interrupted ? 130 : ExitCodes.BadInput;
        }
        return symbolizer?.Failed == true ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    /// <summary>Each line QEMU prints, as it comes, through the symbolizer.</summary>
    private sealed class LiveConsole(TextWriter output, Symbolizer? symbolizer) : BootObserver
    {
        public override void OnOutput(string raw, bool standardError)
        {
            if (symbolizer is null)
            {
                output.WriteLine(raw);
                output.Flush();
            }
            else
            {
                symbolizer.Annotate(raw, output);
            }
        }
    }
}
