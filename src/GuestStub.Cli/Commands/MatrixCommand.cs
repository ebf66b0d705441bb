using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using GuestStub.Cli.CommandLine;
using GuestStub.Launch;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Matrix;
using GuestStub.Launch.Reports;
using GuestStub.Launch.Running;
using GuestStub.Launch.Xen;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub matrix [--repeat N] [--xen-append "..."] [--timeout S] [--xen V|PATH[,V|PATH...]]
/// [--junit FILE]</c>: boots every configuration of <see cref="MatrixPlan"/> in turn, on each Xen
/// named, judges each with <see cref="BootJudgement"/>, shows its progress on stderr (boots done
/// of boots planned), prints one line per failed boot (its configuration, why, its log) and ends
/// with <c>matrix: N/N ok (time)</c>. Exit 1 when a boot failed. It writes under out/matrix/ the
/// release table (<see cref="ReleaseTable"/>: <c>index.html</c> and <c>matrix.md</c>) and every
/// boot's log (<c>logs/RELEASE/</c>), and with <c>--junit</c> the verdicts as JUnit XML.
/// </summary>
public sealed class MatrixCommand : Verb
{
    public override string Name => "matrix";
    public override string Synopsis => "matrix [--repeat N] [--xen-append \"XEN ARGS\"] [--timeout SECONDS] [--xen V|PATH[,V|PATH...]] [--junit FILE]";
    public override string Summary => "boot every supported configuration (48 dom0 boots, then dom0 and two domUs) on each Xen named; write the release table";

    private readonly Option<int> _repeat = CliValues.Bounded("--repeat", "run the whole matrix N times", 1, 1000, 1);
    private readonly Option<string> _xenAppend = CliValues.Text("--xen-append", "more Xen arguments for every boot", "\"XEN ARGS\"");
    private readonly Option<int> _timeout = CliValues.Bounded("--timeout", "stop a boot after SECONDS", 1, 3600, 120);
    private readonly Option<string> _xen = CliValues.Text("--xen",
        $"which Xen: {XenImage.ChoiceHelp} (default {XenImage.DefaultRelease}); several separated by commas boot the matrix on each in turn", "V|PATH[,V|PATH...]",
        XenImage.DefaultRelease);
    private readonly Option<string?> _junit = new("--junit") { Description = "also write every boot's verdicts to FILE as JUnit XML, one testcase per Xen, boot, domain and check", HelpName = "FILE" };

    private readonly Option<bool> _noBuild = CliValues.NoBuild();

    protected override void Define(Command command)
    {
        command.Options.Add(_repeat);
        command.Options.Add(_xenAppend);
        command.Options.Add(_timeout);
        command.Options.Add(_xen);
        command.Options.Add(_junit);
        command.Options.Add(_noBuild);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        ProjectLayout layout = ProjectLayout.Find();
        IReadOnlyList<string> xens = MatrixPlan.XenList(parse.GetValue(_xen)!);
        foreach (string xen in xens)
            XenImage.Choose(xen, layout); // A Xen that is missing is named before anything boots.
        IReadOnlyList<MatrixBoot> plan = MatrixPlan.Boots(parse.GetValue(_repeat), parse.GetValue(_xenAppend) ?? "",
            TimeSpan.FromSeconds(parse.GetValue(_timeout)), xens);
        string work = Path.Combine(layout.Obj, "matrix");
        string table = Path.Combine(layout.Out, "matrix");
        foreach (string dir in new[] { work, table })
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
            Directory.CreateDirectory(dir);
        }
        var progress = new Progress(context.Error, plan.Count);
        var clock = Stopwatch.StartNew();
        var results = new List<ReleaseTableBoot>();
        int ok = 0;
        for (int i = 0; i < plan.Count; i++)
        {
            MatrixBoot boot = plan[i];
            progress.Starting(i, boot.Label);
            string release = BootVerdicts.XenChoiceName(boot.Shape.Xen);
            string logRelative = Path.Combine("logs", release, boot.LogName);
            string log = Path.Combine(table, logRelative);
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            IReadOnlyList<string> problems;
            BootVerdicts verdicts;
            try
            {
                PreparedBoot prepared = Launcher.Prepare(boot.Shape.Describe(layout), Path.Combine(work, release, Path.GetFileNameWithoutExtension(boot.LogName)));
                BootRun run = Launcher.Run(prepared);
                File.WriteAllText(log, $"gueststub matrix: running: {prepared.Command.ShellLine}\n{run.Output}");
                problems = BootJudgement.Problems(run);
                verdicts = BootVerdicts.From(run, boot.Name, boot.Shape.Xen);
            }
            catch (LaunchException e)
            {
                File.WriteAllText(log, e.Message + "\n");
                problems = new[] { e.Message };
                verdicts = BootVerdicts.NotBooted($"xen-unknown({release})", boot.Name, e.Message);
            }
            results.Add(new ReleaseTableBoot(release, boot.Column, verdicts, logRelative.Replace('\\', '/')));
            if (problems.Count == 0)
                ok++;
            else
                progress.Line($"matrix: FAILED {boot.Label}: {string.Join("; ", problems)} ({layout.Relative(log)})", context.Out);
            progress.Done(i + 1, ok);
        }
        progress.Finish();
        TimeSpan elapsed = clock.Elapsed;
        string summary = $"matrix: {ok}/{plan.Count} ok ({(int)elapsed.TotalMinutes} min {elapsed.Seconds} s)";

        var releaseTable = new ReleaseTable(results, $"GuestStub on Xen {string.Join(", ", xens.Select(BootVerdicts.XenChoiceName))}: what each Xen gives a guest", summary);
        File.WriteAllText(Path.Combine(table, "index.html"), releaseTable.Html());
        File.WriteAllText(Path.Combine(table, "matrix.md"), releaseTable.Markdown());
        context.Error.WriteLine($"matrix: the table is {layout.Relative(Path.Combine(table, "index.html"))} and {layout.Relative(Path.Combine(table, "matrix.md"))}, the logs {layout.Relative(Path.Combine(table, "logs"))}/");
        if (parse.GetValue(_junit) is string junit)
        {
            JUnitReport.Write(junit, results.Select(r => r.Verdicts), "gueststub matrix");
            context.Error.WriteLine($"matrix: JUnit report {junit}: {results.Sum(r => r.Verdicts.Cases.Count)} testcases");
        }
        context.Out.WriteLine(summary);
        return ok == plan.Count ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    /// <summary>
    /// The matrix's progress on stderr: on a terminal one status line rewritten in place, else a
    /// line per boot (a log keeps them all).
    /// </summary>
    private sealed class Progress(TextWriter error, int planned)
    {
        private readonly bool _terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        private int _failed;

        public void Starting(int done, string label)
        {
            if (_terminal)
                error.Write($"\rmatrix: {done}/{planned} boots done, {_failed} failed; booting {label}\u001b[K");
        }

        public void Done(int done, int ok)
        {
            _failed = done - ok;
            if (!_terminal)
                error.WriteLine($"matrix: {done}/{planned} boots done, {_failed} failed");
        }

        /// <summary>A line that stays (a failure), written below the status line.</summary>
        public void Line(string text, TextWriter output)
        {
            if (_terminal)
                error.Write("\r\u001b[K");
            output.WriteLine(text);
            output.Flush();
        }

        public void Finish()
        {
            if (_terminal)
                error.Write("\r\u001b[K");
        }
    }
}
