using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Report;

/// <summary>
/// Dom0's wait for the other domains, for people and scripts: report domains.others (how many
/// other domains exist) and domains.wait (ok, "timeout domain N still running", or the first
/// refusal of the query, which did not end the wait), then the check domains.wait.
/// </summary>
public static class OtherDomainsReport
{
    public static void Write<TSink>(ref TSink sink, ref CheckVerdicts checks, in OtherDomainsResult wait) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: other domains: "u8);
        TextFormat.Decimal(ref sink, (ulong)wait.Seen);
        sink.Write(wait.AllFinished ? " seen, all finished"u8
            : wait.StillRunning != 0 ? " seen, not all finished within the bound"u8 : " seen, the bound ran out with the query refused"u8);
        if (wait.Refusals != 0)
        {
            sink.Write("; the query was refused "u8);
            TextFormat.Decimal(ref sink, (ulong)wait.Refusals);
            sink.Write(wait.Refusals == 1 ? " time, the wait went on: "u8 : " times, the wait went on: "u8);
            wait.Failure.Write(ref sink);
        }
        sink.Write("\n"u8);
        ReportLine.Decimal(ref sink, "domains.others"u8, (ulong)wait.Seen);
        ReportLine.Begin(ref sink, "domains.wait"u8);
        if (wait.Failure.IsFailure)
            wait.Failure.Write(ref sink);
        else if (wait.TimedOut)
            StillRunning(ref sink, wait);
        else
            sink.Write("ok"u8);
        sink.Write("\n"u8);

        // A refusal is Xen's (or, for an interface version on a release the stub does not know,
        // the stub's); a domain that never finished misbehaved.
        if (wait.Failure.IsFailure)
            checks.Write(ref sink, Check.DomainsWait, Blame.Of(wait.Failure),
                wait.AllFinished ? Reason.RefusedThenAllFinished : Reason.RefusedUntilTheBound, wait.Failure);
        else if (wait.TimedOut)
            checks.Write(ref sink, Check.DomainsWait, Verdict.Error, Reason.StillRunningAtTheBound,
                XenFailure.Timeout(Boot.BootSession.OtherDomainsBoundMs).WithDom(wait.StillRunning));
        else
            checks.Write(ref sink, Check.DomainsWait, Verdict.Success);
    }

    private static void StillRunning<TSink>(ref TSink sink, in OtherDomainsResult wait) where TSink : struct, ITextSink
    {
        sink.Write("timeout domain "u8);
        TextFormat.Decimal(ref sink, wait.StillRunning);
        sink.Write(" still running"u8);
    }
}
