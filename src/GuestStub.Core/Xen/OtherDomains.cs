using GuestStub.Platform;

namespace GuestStub.Xen;

/// <summary>What dom0 saw of the other domains before powering the machine off.</summary>
public readonly struct OtherDomainsResult
{
    public readonly bool Ran;
    /// <summary>Other domains that exist (dom0less domUs, in creation order 1, 2, ...), at the
    /// last survey Xen answered.</summary>
    public readonly int Seen;
    /// <summary>The first domain still running when the bound ran out (0: none, or unknown).</summary>
    public readonly ushort StillRunning;
    /// <summary>The bound ran out: a domain was still running, or Xen never answered.</summary>
    public readonly bool TimedOut;
    /// <summary>Every other domain was seen shut down.</summary>
    public readonly bool AllFinished;
    public readonly ulong WaitedTicks;
    /// <summary>The first refusal of the domain query (not -ESRCH, which ends an enumeration);
    /// the wait went on after it.</summary>
    public readonly XenFailure Failure;
    /// <summary>Surveys Xen refused.</summary>
    public readonly int Refusals;

    public OtherDomainsResult(int seen, ushort stillRunning, bool timedOut, bool allFinished, ulong waitedTicks, in XenFailure failure,
        int refusals)
    {
        Ran = true;
        Seen = seen;
        StillRunning = stillRunning;
        TimedOut = timedOut;
        AllFinished = allFinished;
        WaitedTicks = waitedTicks;
        Failure = failure;
        Refusals = refusals;
    }
}

/// <summary>
/// Dom0 waits for the other domains to finish before it powers the machine off (a hardware
/// domain's shutdown halts the whole machine, and the dom0less domUs booted beside it would be
/// cut off mid-report). It enumerates them (<see cref="DomainControl"/>) and yields the CPU to
/// them until every one has shut down, within the caller's bound of counter time. A survey Xen
/// refuses does not end the wait: it is counted and named, and the wait goes on within the same
/// bound, so a transient refusal cuts no domU off, and a lasting one keeps dom0 up for the
/// whole bound rather than halting the machine at once. No xenstore, no boot argument.
/// </summary>
public static class OtherDomains
{
    public static OtherDomainsResult WaitForShutdown<TPlatform>(ref TPlatform platform, in XenInterfaces interfaces, ushort ownDomid,
        ulong boundMs) where TPlatform : struct, IXenPlatform
    {
        Deadline deadline = Deadline.After(ref platform, boundMs);
        XenFailure first = XenFailure.None;
        int refusals = 0, seen = 0;
        ushort running = 0;
        while (true)
        {
            XenFailure f = Survey(ref platform, interfaces, ownDomid, out int surveyed, out ushort stillRunning);
            if (f.IsFailure)
            {
                first = first.Or(f);
                refusals++;
            }
            else
            {
                seen = surveyed;
                running = stillRunning;
                if (running == 0)
                    return new OtherDomainsResult(seen, 0, false, true, deadline.Elapsed(ref platform), first, refusals);
            }
            if (deadline.Expired(ref platform))
                return new OtherDomainsResult(seen, f.IsFailure ? (ushort)0 : running, true, false, deadline.Elapsed(ref platform), first,
                    refusals);
            platform.Idle();
        }
    }

    /// <summary>One pass over the domains: how many others exist, and the first still running.</summary>
    private static XenFailure Survey<THc>(ref THc hc, in XenInterfaces interfaces, ushort ownDomid, out int seen, out ushort running)
        where THc : struct, IXenHypercalls
    {
        seen = 0;
        running = 0;
        DomainCursor cursor = default;
        XenFailure f;
        while (DomainControl.TryNext(ref hc, interfaces, ref cursor, out DomainInfo info, out f))
        {
            if (info.Domid == ownDomid)
                continue;
            seen++;
            if (!info.IsDone && running == 0)
                running = info.Domid;
        }
        return f;
    }
}
