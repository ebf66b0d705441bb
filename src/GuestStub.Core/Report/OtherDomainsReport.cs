using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Report;

/// <summary>
/// Dom0's wait for the other domains, for people and scripts: report domains.others (how many
/// other domains exist) and domains.wait (ok, "timeout domain N still running", or the
/// hypercall's failure).
/// </summary>
public static class OtherDomainsReport
{
    public static void Write<TSink>(ref TSink sink, in OtherDomainsResult wait) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: other domains: "u8);
        TextFormat.Decimal(ref sink, (ulong)wait.Seen);
        sink.Write(wait.TimedOut ? " seen, not all finished within the bound\n"u8
            : wait.Failure.IsFailure ? " seen, the wait failed\n"u8 : " seen, all finished\n"u8);
        ReportLine.Decimal(ref sink, "domains.others"u8, (ulong)wait.Seen);
        ReportLine.Begin(ref sink, "domains.wait"u8);
        if (wait.TimedOut)
        {
            sink.Write("timeout domain "u8);
            TextFormat.Decimal(ref sink, wait.StillRunning);
            sink.Write(" still running"u8);
        }
        else
        {
            ReportLine.Result(ref sink, wait.Failure);
        }
        sink.Write("\n"u8);
    }
}
