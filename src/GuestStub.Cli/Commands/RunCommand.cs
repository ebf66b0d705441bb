using System;
using System.Collections.Generic;
using System.Linq;
using System.CommandLine;
using System.IO;
using System.Runtime.InteropServices;
using GuestStub.Cli.CommandLine;
using GuestStub.Launch;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Reports;
using GuestStub.Launch.Running;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub run [options]</c>: boots the built guest, by default as dom0 under Xen 4.17 in
/// QEMU virt (<c>-m 1G</c>, <c>dom0_mem=128M</c>, 1 vCPU, GICv3), and shows the console as it
/// comes, each line with an ELR or backtrace address followed by its C# method and file:line
/// (<see cref="Symbolizer"/>). It prints the QEMU command line first. Exit 0 when QEMU exited by
/// itself with status 0; otherwise 1, with what happened (QEMU's status, the timeout, a kill).
/// <c>--dry-run</c> prints the command, one argument a line, writes what it needs (the dom0less
/// host tree) and boots nothing. <c>--junit FILE</c> also writes the boot's verdicts as JUnit
/// XML (<see cref="JUnitReport"/>: one testcase per domain and check).
/// </summary>
public sealed class RunCommand : Verb
{
    public override string Name => "run";
    public override string Synopsis => "run [--bare [--el2]] [--domu|--domus N] [--domu-plain] [--static-evtchn] [--static-shm [--static-shm-xen-address]] [--static-mem [--direct-map]] [--xen V|PATH] [--dry-run] ...";
    public override string Summary => "boot the guest in QEMU (under Xen, or --bare) and show its console";

    private readonly BootShapeOptions _shape = new();
    private readonly Option<string?> _config = new("--config")
    {
        Description = "boot what an ImageBuilder config describes (MEMORY_START, XEN, XEN_CMD, DOM0_KERNEL, NUM_DOMUS, DOMU_KERNEL[i], ...; a kernel named gueststub is the stub's image) through U-Boot, as Xen's CI does; --xen overrides its XEN",
        HelpName = "FILE",
    };
    private readonly Option<bool> _dryRun = CliValues.Flag("--dry-run", "print the QEMU command, one argument a line, and write the host tree it names; boot nothing");
    private readonly Option<string?> _junit = new("--junit") { Description = "also write the boot's verdicts to FILE as JUnit XML, one testcase per domain and check (as GitLab CI reads it)", HelpName = "FILE" };

    protected override void Define(Command command)
    {
        _shape.AddTo(command);
        command.Options.Add(_config);
        command.Options.Add(_dryRun);
        command.Options.Add(_junit);
        command.Validators.Add(CheckConfig);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        const string who = "gueststub run";
        ProjectLayout layout = ProjectLayout.Find();
        BootShape shape = _shape.Shape(parse);
        string shapeName = parse.GetValue(_config) is string configFile
            ? "config-" + Path.GetFileNameWithoutExtension(configFile)
            : ShapeName.Of(shape);
        BootDescription description;
        PreparedBoot prepared;
        try
        {
            description = parse.GetValue(_config) is string config
                ? ConfigBoot(parse, config, shape, layout, context.Error, who)
                : shape.Describe(layout);
            prepared = Launcher.Prepare(description, Path.Combine(layout.Obj, "run"));
        }
        catch (LaunchException e) when (parse.GetValue(_junit) is string notBooted)
        {
            // A CI still gets its file: one machine ERROR saying why nothing booted, as matrix writes.
            JUnitReport.Write(notBooted, new[] { BootVerdicts.NotBooted(shape.Xen, shapeName, e.Message) });
            throw;
        }
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
        var console = new LiveConsole(context.Out, symbolizer, new VerdictTimes());
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
        if (parse.GetValue(_junit) is string junit)
        {
            // A config's boot is named by its file; its Xen is the one it chose (its XEN or --xen).
            BootVerdicts verdicts = BootVerdicts.From(run, shapeName, description.Xen?.Image.Name ?? shape.Xen);
            JUnitReport.Write(junit, new[] { verdicts });
            context.Error.WriteLine($"{who}: JUnit report {junit}: {verdicts}");
        }
        // Both are told when both failed.
        if (symbolizer?.Failed == true)
            context.Error.WriteLine($"{who}: error: {LlvmLineTable.Tool} stopped; the addresses after that are not named");
        if (console.Times.Describe() is string times)
            context.Error.WriteLine($"{who}: {times}");
        if (run.Outcome.End == BootEnd.StoppedAfterVerdicts)
            context.Error.WriteLine($"{who}: {run.Outcome.Describe()}");
        if (!run.Outcome.Finished)
        {
            context.Error.WriteLine($"{who}: error: {run.Outcome.Describe()}");
            return run.Outcome.End == BootEnd.Interrupted ? 130 : ExitCodes.BadInput;
        }
        // The test image concludes in its own words (guest-tests: N passed, M failed).
        if (!shape.Tests && !Verdicts(run, context.Error, who))
            return ExitCodes.BadInput;
        return symbolizer?.Failed == true ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    /// <summary>
    /// Each domain's closing verdict in one line (<c>gueststub run: verdicts: dom0 SUCCESS, d1
    /// SKIP</c>); false, naming each, when a domain ended FAILURE or ERROR or never wrote its
    /// <c>Test result:</c> (a Xen that panicked powers the machine off too). SKIP is not a
    /// failure: the checks that could not run say why.
    /// </summary>
    private static bool Verdicts(BootRun run, TextWriter error, string who)
    {
        IReadOnlyList<DomainConsole> domains = run.Domains;
        error.WriteLine($"{who}: verdicts: " + string.Join(", ", domains.Select(d => $"{d.Name} {VerdictText.Name(d.Report.Verdict)}")));
        bool ok = true;
        foreach (DomainConsole domain in domains.Where(d => d.Report.Verdict is Verdict.Failure or Verdict.Error))
        {
            error.WriteLine($"{who}: error: {domain.Name}: {domain.Report.VerdictReason}");
            ok = false;
        }
        return ok;
    }

    /// <summary>The options that describe the domains or Xen's arguments, which a config describes itself.</summary>
    private Option[] ConfigConflicts => new Option[]
    {
        _shape.Bare, _shape.El2, _shape.DomU, _shape.DomUs, _shape.DomUPlain, _shape.StaticEventChannels, _shape.NoDom0,
        _shape.UBoot, _shape.Dom0Memory, _shape.Append, _shape.XenAppend, _shape.DomUImage,
        _shape.StaticShm, _shape.StaticShmXenAddress, _shape.StaticMem, _shape.DirectMap,
    };

    private void CheckConfig(System.CommandLine.Parsing.CommandResult result)
    {
        if (result.GetResult(_config) is null)
            return;
        foreach (Option option in ConfigConflicts)
        {
            if (result.GetResult(option) is { Implicit: false })
                result.AddError($"{option.Name} describes the boot, and --config's file does that: say it there");
        }
    }

    /// <summary>The boot an ImageBuilder config describes, the machine and Xen as the options say
    /// when given (else Xen's CI's machine and the config's XEN).</summary>
    private BootDescription ConfigBoot(ParseResult parse, string file, BootShape shape, ProjectLayout layout, TextWriter error, string who)
    {
        bool Given(Option option) => parse.CommandResult.GetResult(option) is { Implicit: false };
        var config = GuestStub.Launch.ImageBuilder.ImageBuilderConfig.Load(file);
        foreach (string warning in config.Warnings)
            error.WriteLine($"{who}: warning: {warning}");
        var choices = new GuestStub.Launch.ImageBuilder.ImageBuilderBoot.Choices
        {
            StubImage = shape.ImageFiles(layout).Image,
            Xen = Given(_shape.Xen) ? shape.Xen : null,
            Gic = shape.Gic,
        };
        choices = choices with
        {
            Cpus = Given(_shape.Cpus) ? shape.Cpus : choices.Cpus,
            Memory = Given(_shape.Memory) ? shape.Memory : choices.Memory,
            Timeout = shape.Timeout ?? choices.Timeout,
            Icount = shape.Icount,
        };
        return GuestStub.Launch.ImageBuilder.ImageBuilderBoot.Describe(config, layout, choices);
    }

    /// <summary>Each line QEMU prints, as it comes, through the symbolizer.</summary>
    private sealed class LiveConsole(TextWriter output, Symbolizer? symbolizer, VerdictTimes times) : BootObserver
    {
        /// <summary>When Xen's first line and the last verdict came.</summary>
        public VerdictTimes Times => times;

        public override void OnLine(GuestStub.Launch.Serial.ConsoleLine line) => times.OnLine(line);

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
