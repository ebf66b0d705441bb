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
using GuestStub.Launch.Xen;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub bench-guest [--bare] [--xen V|PATH] [--only dtb|map]</c>: the in-guest
/// benchmarks (tests/GuestStub.GuestTests/Bench), every figure in one run. Each benchmark boot
/// (<see cref="GuestBenchmark.Plan"/>: the DTB reader and scratch pool; the mapping benchmark
/// on GICv3 and GICv2) runs twice under <c>-icount shift=0</c>; its <c>guest-bench</c> lines
/// are printed, with the Xen it ran on, and the two boots' figures compared: they must agree
/// within 0.1% (<see cref="GuestBench"/>). Logs: obj/bench/NAME.run1.log, NAME.run2.log.
/// </summary>
public sealed class BenchGuestCommand : Verb
{
    public override string Name => "bench-guest";
    public override string Synopsis => "bench-guest [--bare] [--xen V|PATH] [--only dtb|map]";
    public override string Summary => "run the in-guest benchmarks twice under -icount and compare the figures";

    private readonly Option<bool> _bare = CliValues.Flag("--bare", "without Xen (the DTB and scratch benchmarks only)");
    private readonly Option<bool> _noBuild = CliValues.NoBuild();
    private readonly Option<string> _xen = BootShapeOptions.XenOption();
    private readonly Option<string[]> _only = new("--only")
    {
        Description = $"run only these benchmarks: {string.Join(", ", GuestBenchmark.Families)} (repeat or separate with commas)",
        HelpName = "NAME",
        AllowMultipleArgumentsPerToken = true,
    };

    protected override void Define(Command command)
    {
        command.Options.Add(_bare);
        command.Options.Add(_noBuild);
        command.Options.Add(_xen);
        command.Options.Add(_only);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        const string who = "gueststub bench-guest";
        ProjectLayout layout = ProjectLayout.Find();
        string[] only = (parse.GetValue(_only) ?? Array.Empty<string>())
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        IReadOnlyList<GuestBenchmark> plan = GuestBenchmark.Plan(layout, parse.GetValue(_xen)!, parse.GetValue(_bare), only);
        string logs = Path.Combine(layout.Obj, "bench");
        Directory.CreateDirectory(logs);

        bool agree = true;
        foreach (GuestBenchmark benchmark in plan)
        {
            var figures = new List<IReadOnlyDictionary<string, string>>();
            BootRun? first = null;
            for (int i = 1; i <= 2; i++)
            {
                context.Error.WriteLine($"{who}: {benchmark.Name}, run {i} of 2: {benchmark.Measures}");
                PreparedBoot prepared = Launcher.Prepare(benchmark.Boot, Path.Combine(logs, benchmark.Name));
                BootRun run = Launcher.Run(prepared);
                string log = Path.Combine(logs, $"{benchmark.Name}.run{i}.log");
                File.WriteAllText(log, prepared.Command.ShellLine + "\n" + run.Output);
                IReadOnlyList<string> problems = benchmark.Problems(run);
                if (problems.Count > 0)
                {
                    foreach (string problem in problems)
                        context.Error.WriteLine($"{who}: error: {benchmark.Name}: {problem} ({layout.Relative(log)})");
                    return ExitCodes.BadInput;
                }
                first ??= run;
                figures.Add(GuestBench.Figures(run.Domain(0).Report));
            }

            XenBanner? xen = XenBanner.Find(first!.Lines);
            context.Out.WriteLine($"bench-guest: {benchmark.Name}: " + (xen is null ? "bare, no Xen" : $"on {xen}") + $", {benchmark.Boot.Machine.MachineOption}");
            foreach (string line in first.Domain(0).Lines.Where(l => l.StartsWith("guest-bench: ", StringComparison.Ordinal)))
                context.Out.WriteLine(line);
            BenchComparison comparison = GuestBench.Compare(figures[0], figures[1]);
            context.Out.WriteLine($"bench-guest: {benchmark.Name}: {comparison}");
            foreach (string mismatch in comparison.Mismatches)
                context.Error.WriteLine($"{who}: error: {benchmark.Name}: {mismatch}");
            if (!comparison.WithinLimit)
            {
                context.Error.WriteLine($"{who}: error: {benchmark.Name}: the two runs differ by more than 0.1% (obj/bench/{benchmark.Name}.run1.log, run2.log)");
                agree = false;
            }
        }
        return agree ? ExitCodes.Ok : ExitCodes.BadInput;
    }
}
