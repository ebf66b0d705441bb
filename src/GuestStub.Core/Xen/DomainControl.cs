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

/// <summary>What Xen said about one domain: which, and whether it will run again.</summary>
public readonly struct DomainInfo
{
    public readonly ushort Domid;
    /// <summary>The domain has shut down (or is being destroyed): it will run no more.</summary>
    public readonly bool IsDone;

    public DomainInfo(ushort domid, bool isDone)
    {
        Domid = domid;
        IsDone = isDone;
    }
}

/// <summary>
/// domctl (xen/include/public/domctl.h): the hardware domain's view of the other domains. Only
/// dom0 may use it (others get -EPERM). Without xenstore this is how dom0 learns which dom0less
/// domUs exist and whether they are still running. The command and its interface version come
/// from <see cref="XenInterfaces"/>: XEN_DOMCTL_get_domain_state where Xen has it (stable,
/// version 0), else XEN_DOMCTL_getdomaininfo at the release's XEN_DOMCTL_INTERFACE_VERSION.
/// </summary>
public static unsafe class DomainControl
{
    /// <summary>Domains looked at in one enumeration (more is not a machine the stub boots).</summary>
    public const int MaxDomains = 64;

    private const ushort FirstReservedDomid = 0x7FF0;

    /// <summary>
    /// The next domain at or above <paramref name="cursor"/> (start at 0), which moves past it.
    /// False at the end of the list (-ESRCH, or <see cref="MaxDomains"/> looked at, or an answer
    /// going backwards), with <paramref name="failure"/> set when the query itself failed.
    /// Up to Xen 4.17 getdomaininfo answers with the first domain at or above the id asked;
    /// from 4.18 (commit 31c6554974, "fail if domid is not found") it and get_domain_state
    /// answer only for that id and -ESRCH otherwise, so the enumeration ends at the first id
    /// that does not exist: dom0less domUs have ids 1, 2, ... in creation order
    /// (create_domUs), and without a toolstack none is destroyed.
    /// </summary>
    public static bool TryNext<THc>(ref THc hc, in XenInterfaces interfaces, ref DomainCursor cursor, out DomainInfo info,
        out XenFailure failure) where THc : struct, IXenHypercalls
    {
        info = default;
        failure = XenFailure.None;
        if (cursor.Seen >= MaxDomains || cursor.Next >= FirstReservedDomid)
            return false;
        XenFailure f = Query(ref hc, interfaces, (ushort)cursor.Next, out info);
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
    /// What Xen says about <paramref name="domid"/> (with getdomaininfo up to 4.17: the first
    /// domain at or above it); -ESRCH when there is none. <paramref name="info"/> names the
    /// domain the answer is about. A refusal with -EACCES (do_domctl: not the interface version
    /// of this Xen) names the version tried.
    /// </summary>
    public static XenFailure Query<THc>(ref THc hc, in XenInterfaces interfaces, ushort domid, out DomainInfo info)
        where THc : struct, IXenHypercalls
    {
        XenDomctl args = default;
        args.Domain = domid;
        bool state = interfaces.HasGetDomainState;
        args.Cmd = state ? XenDomctl.GetDomainState : XenDomctl.GetDomainInfo;
        args.Version = state ? XenDomctl.StableInterfaceVersion : interfaces.DomctlVersion;
        long result = hc.Hypercall(HypercallNumber.Domctl, (ulong)&args, 0, 0, 0, 0);
        info = state
            ? new DomainInfo(args.Domain, (args.State & (XenDomctl.StateShutdown | XenDomctl.StateDying | XenDomctl.StateDead)) != 0)
            : new DomainInfo(args.InfoDomain, (args.InfoFlags & (XenDomctl.DominfShutdown | XenDomctl.DominfDying)) != 0);
        if (result == 0)
            return XenFailure.None;
        XenFailure f = XenFailure.FromResult(state ? XenCall.DomctlGetDomainState : XenCall.DomctlGetDomainInfo, result).WithDom(domid);
        return result == -(long)XenErrno.EACCES
            ? f.WithInterfaceVersion((byte)args.Version, state ? (ushort)0 : interfaces.UnknownRelease)
            : f;
    }
}
