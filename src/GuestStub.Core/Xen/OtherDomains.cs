using GuestStub.Platform;

namespace GuestStub.Xen;

/// <summary>What dom0 saw of the other domains before powering the machine off.</summary>
public readonly struct OtherDomainsResult
{
    public readonly bool Ran;
    /// <summary>Other domains that exist (dom0less domUs, in creation order 1, 2, ...).</summary>
    public readonly int Seen;
    /// <summary>The first domain still running when the bound ran out (0: none).</summary>
    public readonly ushort StillRunning;
    public readonly bool TimedOut;
    public readonly ulong WaitedTicks;
    /// <summary>The domain query refused (not -ESRCH, which ends the enumeration).</summary>
    public readonly XenFailure Failure;

    public OtherDomainsResult(int seen, ushort stillRunning, bool timedOut, ulong waitedTicks, in XenFailure failure)
    {
        Ran = true;
        Seen = seen;
        StillRunning = stillRunning;
        TimedOut = timedOut;
        WaitedTicks = waitedTicks;
        Failure = failure;
    }
}

/// <summary>
/// Dom0 waits for the other domains to finish before it powers the machine off (a hardware
/// domain's shutdown halts the whole machine, and the dom0less domUs booted beside it would be
/// cut off mid-report). It enumerates them (<see cref="DomainControl"/>) and yields the CPU to them until every one has
/// shut down, within the caller's bound of counter time. No xenstore, no boot argument.
/// </summary>
public static class OtherDomains
{
    public static OtherDomainsResult WaitForShutdown<TPlatform>(ref TPlatform platform, in XenInterfaces interfaces, ushort ownDomid,
        ulong boundMs) where TPlatform : struct, IXenPlatform
    {
        Deadline deadline = Deadline.After(ref platform, boundMs);
        while (true)
        {
            XenFailure f = Survey(ref platform, interfaces, ownDomid, out int seen, out ushort running);
            if (f.IsFailure || running == 0)
                return new OtherDomainsResult(seen, 0, false, deadline.Elapsed(ref platform), f);
            if (deadline.Expired(ref platform))
                return new OtherDomainsResult(seen, running, true, deadline.Elapsed(ref platform), XenFailure.None);
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
