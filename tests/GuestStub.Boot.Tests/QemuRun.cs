using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace GuestStub.Boot.Tests;

/// <summary>
/// One QEMU run: the command line, everything it printed (serial console and QEMU's own
/// messages), how it ended. QEMU is killed (with its process tree) if it outlives the timeout.
/// </summary>
public sealed class QemuRun
{
    public required IReadOnlyList<string> Command { get; init; }
    public required string Output { get; init; }
    public required int ExitCode { get; init; }
    public required bool TimedOut { get; init; }
    public required TimeSpan Elapsed { get; init; }

    public IEnumerable<string> Lines => ConsoleLines.Reassemble(Output.Split('\n').Select(l => l.TrimEnd('\r')));

    /// <summary>The guest's own lines: everything not prefixed "(XEN)" by Xen's console.</summary>
    public IEnumerable<string> GuestLines => Lines.Where(l => !l.StartsWith("(XEN)", StringComparison.Ordinal));

    /// <summary>The value of "report KEY VALUE"; null when absent. Fails if KEY appears twice.</summary>
    public string? Report(string key)
    {
        var values = ReportAll(key);
        if (values.Count > 1)
            throw new Xunit.Sdk.XunitException($"report {key} appears {values.Count} times\n{Describe()}");
        return values.Count == 0 ? null : values[0];
    }

    public List<string> ReportAll(string key)
    {
        string prefix = "report " + key + " ";
        return GuestLines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).ToList();
    }

    /// <summary>First match of a regular expression against the whole output; fails when absent.</summary>
    public Match Find(string pattern)
    {
        Match m = Regex.Match(string.Join("\n", Lines), pattern, RegexOptions.Multiline);
        if (!m.Success)
            throw new Xunit.Sdk.XunitException($"no match for /{pattern}/\n{Describe()}");
        return m;
    }

    /// <summary>The command line and the whole output, for failure messages.</summary>
    public string Describe()
    {
        var b = new StringBuilder();
        b.Append("command: ").AppendLine(string.Join(' ', Command.Select(Quote)));
        b.Append("exit code: ").Append(ExitCode).Append(TimedOut ? " (killed after timeout)" : "").Append(", ").Append(Elapsed.TotalSeconds.ToString("F1")).AppendLine(" s");
        b.AppendLine("----- output -----").Append(Output).AppendLine("----- end -----");
        return b.ToString();
    }

    private static string Quote(string a) => a.Contains(' ') || a.Contains('"') ? "'" + a + "'" : a;

    public static QemuRun Start(IReadOnlyList<string> command, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in command.Skip(1))
            psi.ArgumentList.Add(a);

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        process.WaitForExit(); // drains the asynchronous readers
        stopwatch.Stop();
        string text;
        lock (output) text = output.ToString();
        return new QemuRun
        {
            Command = command,
            Output = text,
            ExitCode = exited ? process.ExitCode : -1,
            TimedOut = !exited,
            Elapsed = stopwatch.Elapsed,
        };
    }
}
