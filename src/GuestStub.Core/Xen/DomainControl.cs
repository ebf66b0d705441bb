using GuestStub.Xen.Abi;

namespace GuestStub.Xen;

/// <summary>Where an enumeration of the domains has got to (<see cref="DomainControl.TryNext"/>).</summary>
public readonly struct DomainCursor
{
    public readonly uint Next;
    public readonly int Seen;

    public DomainCursor(uint next, int seen)
    {
        Next = next;
        Seen = seen;
    }
}

/// <summary>What XEN_DOMCTL_getdomaininfo said about one domain.</summary>
public readonly struct DomainInfo
{
    public readonly ushort Domid;
    public readonly uint Flags;

    public DomainInfo(ushort domid, uint flags)
    {
        Domid = domid;
        Flags = flags;
    }

    /// <summary>The domain has shut down (or is being destroyed): it will run no more.</summary>
    public bool IsDone => (Flags & (XenDomctl.DominfShutdown | XenDomctl.DominfDying)) != 0;

    /// <summary>SHUTDOWN_* the domain gave, when it has shut down.</summary>
    public uint ShutdownReason => (Flags >> XenDomctl.DominfShutdownShift) & 0xFF;
}

/// <summary>
/// domctl (xen/include/public/domctl.h): the hardware domain's view of the other domains. Only
/// dom0 may use it (others get -EPERM). Without xenstore this is how dom0 learns which
/// dom0less domUs exist and whether they are still running.
/// </summary>
public static unsafe class DomainControl
{
    /// <summary>Domains looked at in one enumeration (more is not a machine the stub boots).</summary>
    public const int MaxDomains = 64;

    private const ushort FirstReservedDomid = 0x7FF0;

    /// <summary>
    /// The next domain at or above <paramref name="cursor"/> (start at 0), which moves past it.
    /// False at the end of the list (-ESRCH, or <see cref="MaxDomains"/> looked at, or an answer
    /// going backwards), with <paramref name="failure"/> set when getdomaininfo itself failed.
    /// </summary>
    public static bool TryNext<THc>(ref THc hc, ref DomainCursor cursor, out DomainInfo info, out XenFailure failure)
        where THc : struct, IXenHypercalls
    {
        info = default;
        failure = XenFailure.None;
        if (cursor.Seen >= MaxDomains || cursor.Next >= FirstReservedDomid)
            return false;
        XenFailure f = GetDomainInfo(ref hc, (ushort)cursor.Next, out info);
        if (f.IsFailure)
        {
            failure = f.Value == -(long)XenErrno.ESRCH ? XenFailure.None : f;
            return false;
        }
        if (info.Domid < cursor.Next)
            return false;
        cursor = new DomainCursor((uint)info.Domid + 1, cursor.Seen + 1);
        return true;
    }

    /// <summary>
    /// XEN_DOMCTL_getdomaininfo for <paramref name="domid"/>: the domain with that id, or, in
    /// Xen 4.17, the first one with a higher id (so callers can enumerate); -ESRCH when there is
    /// none. <paramref name="info"/> names the domain the answer is about.
    /// </summary>
    public static XenFailure GetDomainInfo<THc>(ref THc hc, ushort domid, out DomainInfo info) where THc : struct, IXenHypercalls
    {
        XenDomctl args = default;
        args.Cmd = XenDomctl.GetDomainInfo;
        args.Version = XenDomctl.InterfaceVersion;
        args.Domain = domid;
        long result = hc.Hypercall(HypercallNumber.Domctl, (ulong)&args, 0, 0, 0, 0);
        info = new DomainInfo(args.InfoDomain, args.InfoFlags);
        return result == 0 ? XenFailure.None : XenFailure.FromResult(XenCall.DomctlGetDomainInfo, result).WithDom(domid);
    }
}
