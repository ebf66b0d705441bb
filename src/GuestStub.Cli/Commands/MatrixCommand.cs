using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using GuestStub.Cli.CommandLine;
using GuestStub.Launch;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Matrix;
using GuestStub.Launch.Running;

namespace GuestStub.Cli.Commands;

/// <summary>
/// <c>gueststub matrix [--repeat N] [--xen-append "..."] [--timeout S] [--xen V|PATH]</c>: boots
/// every configuration of <see cref="MatrixPlan"/> in turn, judges each with
/// <see cref="BootJudgement"/>, shows its progress on stderr (boots done of boots planned), prints
/// one line per failed boot (its configuration, why, its log under obj/matrix/) and ends with
/// <c>matrix: N/N ok (time)</c>. Exit 1 when a boot failed.
/// </summary>
public sealed class MatrixCommand : Verb
{
    public override string Name => "matrix";
    public override string Synopsis => "matrix [--repeat N] [--xen-append \"XEN ARGS\"] [--timeout SECONDS] [--xen V|PATH]";
    public override string Summary => "boot every supported configuration (48 dom0 boots, then dom0 and two domUs)";

    private readonly Option<int> _repeat = CliValues.Bounded("--repeat", "run the whole matrix N times", 1, 1000, 1);
    private readonly Option<string> _xenAppend = CliValues.Text("--xen-append", "more Xen arguments for every boot", "\"XEN ARGS\"");
    private readonly Option<int> _timeout = CliValues.Bounded("--timeout", "stop a boot after SECONDS", 1, 3600, 120);
    private readonly Option<string> _xen = BootShapeOptions.XenOption();

    protected override void Define(Command command)
    {
        command.Options.Add(_repeat);
        command.Options.Add(_xenAppend);
        command.Options.Add(_timeout);
        command.Options.Add(_xen);
    }

    protected override int Execute(ParseResult parse, CliContext context)
    {
        ProjectLayout layout = ProjectLayout.Find();
        IReadOnlyList<MatrixBoot> plan = MatrixPlan.Boots(parse.GetValue(_repeat), parse.GetValue(_xenAppend) ?? "",
            TimeSpan.FromSeconds(parse.GetValue(_timeout)), parse.GetValue(_xen)!);
        string logs = Path.Combine(layout.Obj, "matrix");
        if (Directory.Exists(logs))
            Directory.Delete(logs, recursive: true);
        Directory.CreateDirectory(logs);
        var progress = new Progress(context.Error, plan.Count);
        var clock = Stopwatch.StartNew();
        int ok = 0;
        for (int i = 0; i < plan.Count; i++)
        {
            MatrixBoot boot = plan[i];
            progress.Starting(i, boot.Label);
            string log = Path.Combine(logs, boot.LogName);
            IReadOnlyList<string> problems;
            try
            {
                PreparedBoot prepared = Launcher.Prepare(boot.Shape.Describe(layout), Path.Combine(logs, Path.GetFileNameWithoutExtension(boot.LogName)));
                BootRun run = Launcher.Run(prepared);
                File.WriteAllText(log, $"gueststub matrix: running: {prepared.Command.ShellLine}\n{run.Output}");
                problems = BootJudgement.Problems(run);
            }
            catch (LaunchException e)
            {
                File.WriteAllText(log, e.Message + "\n");
                problems = new[] { e.Message };
            }
            if (problems.Count == 0)
                ok++;
            else
                progress.Line($"matrix: FAILED {boot.Label}: {string.Join("; ", problems)} ({layout.Relative(log)})", context.Out);
            progress.Done(i + 1, ok);
        }
        progress.Finish();
        TimeSpan elapsed = clock.Elapsed;
        context.Out.WriteLine($"matrix: {ok}/{plan.Count} ok ({(int)elapsed.TotalMinutes} min {elapsed.Seconds} s)");
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
