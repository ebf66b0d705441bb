using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using GuestStub.Cli.CommandLine;
using GuestStub.Launch;
using GuestStub.Launch.Bench;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Running;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub bench-guest [--bare] [--xen V|PATH]</c>: the in-guest benchmarks
/// (tests/GuestStub.GuestTests/Bench). The test image is booted twice with
/// <c>guest-tests.bench</c> under <c>-icount shift=0</c>, as dom0 under Xen (or bare); its
/// <c>guest-bench</c> lines are printed, and the two boots' figures compared: they must agree
/// within 0.1% (<see cref="GuestBench"/>). Logs: obj/bench/run1.log, run2.log.
/// </summary>
public sealed class BenchGuestCommand : Verb
{
    public override string Name => "bench-guest";
    public override string Synopsis => "bench-guest [--bare] [--xen V|PATH]";
    public override string Summary => "run the in-guest benchmarks twice under -icount and compare the figures";

    private readonly Option<bool> _bare = CliValues.Flag("--bare", "without Xen");
    private readonly Option<bool> _noBuild = CliValues.Flag("--no-build", "accepted for ./build.sh's sake: gueststub never builds");
    private readonly Option<string> _xen = BootShapeOptions.XenOption();

    protected override void Define(Command command)
    {
        command.Options.Add(_bare);
        command.Options.Add(_noBuild);
        command.Options.Add(_xen);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        const string who = "gueststub bench-guest";
        ProjectLayout layout = ProjectLayout.Find();
        var shape = new BootShape
        {
            Bare = parse.GetValue(_bare),
            Tests = true,
            Icount = true,
            Timeout = GuestBench.Timeout,
            Append = GuestBench.BootArgument,
            Xen = parse.GetValue(_xen)!,
        };
        string logs = Path.Combine(layout.Obj, "bench");
        Directory.CreateDirectory(logs);
        var figures = new List<IReadOnlyDictionary<string, string>>();
        BootRun? first = null;
        for (int i = 1; i <= 2; i++)
        {
            PreparedBoot prepared = Launcher.Prepare(shape.Describe(layout), Path.Combine(logs, "work"));
            context.Error.WriteLine($"{who}: running: {prepared.Command.ShellLine}");
            BootRun run = Launcher.Run(prepared);
            string log = Path.Combine(logs, $"run{i}.log");
            File.WriteAllText(log, run.Output);
            IReadOnlyList<string> problems = GuestBench.Problems(run);
            if (problems.Count > 0)
            {
                foreach (string problem in problems)
                    context.Error.WriteLine($"{who}: error: {problem} ({layout.Relative(log)})");
                return ExitCodes.BadInput;
            }
            first ??= run;
            figures.Add(GuestBench.Figures(run.Domain(0).Report));
        }
        foreach (string line in first!.Domain(0).Lines.Where(l => l.StartsWith("guest-bench: ", StringComparison.Ordinal)))
            context.Out.WriteLine(line);
        BenchComparison comparison = GuestBench.Compare(figures[0], figures[1]);
        context.Out.WriteLine($"bench-guest: {comparison}");
        foreach (string mismatch in comparison.Mismatches)
            context.Error.WriteLine($"{who}: error: {mismatch}");
        if (!comparison.WithinLimit)
        {
            context.Error.WriteLine($"{who}: error: the two runs differ by more than 0.1% (obj/bench/run1.log, run2.log)");
            return ExitCodes.BadInput;
        }
        return ExitCodes.Ok;
    }
}
