using System.Collections.Generic;
using GuestStub.Launch.Reports;

namespace GuestStub.Launch.Running;

/// <summary>
/// Whether a boot went as it must (the matrix's rule): QEMU exited by itself with status 0 (or,
/// for a boot without dom0, was stopped after every domain's closing verdict), and
/// every domain of the boot says <c>report status ok</c> each time it reports a status, and, when
/// it closes with a verdict, <c>Test result: SUCCESS</c>; and no report line breaks its form.
/// </summary>
public static class BootJudgement
{
    /// <summary>What went wrong, one phrase each; empty when the boot is ok.</summary>
    public static IReadOnlyList<string> Problems(BootRun run)
    {
        var problems = new List<string>();
        switch (run.Outcome.End)
        {
            case BootEnd.PoweredOff:
            case BootEnd.StoppedAfterVerdicts:
                break;
            case BootEnd.TimedOut:
                problems.Add($"did not power off within {run.Outcome.Timeout.TotalSeconds:0}s");
                break;
            case BootEnd.QemuFailed:
                problems.Add($"QEMU exited {run.Outcome.ExitStatus}");
                break;
            default:
                problems.Add(run.Outcome.Describe());
                break;
        }
        foreach (DomainConsole domain in run.Domains)
        {
            DomainReport report = domain.Report;
            IReadOnlyList<string> statuses = report.Values("status");
            if (statuses.Count == 0)
                problems.Add($"{domain.Name}: no report status line");
            foreach (string status in statuses)
            {
                if (status != "ok")
                {
                    problems.Add($"{domain.Name}: report status {status}");
                    break;
                }
            }
            if (report.TestResult is not null && report.Verdict != Verdict.Success)
                problems.Add($"{domain.Name}: {report.VerdictReason}");
            if (report.Problems.Count > 0)
                problems.Add($"{domain.Name}: a malformed report: {report.Problems[0]}");
        }
        return problems;
    }
}
