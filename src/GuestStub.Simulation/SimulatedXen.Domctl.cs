using System.Linq;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// domctl: XEN_DOMCTL_getdomaininfo, the hardware domain's view of the machine's domains
// (Xen 4.17 common/domctl.c: the domain asked for, else the first with a higher id).
public sealed unsafe partial class SimulatedXen
{
    private long OnDomctl(ulong arg)
    {
        var d = (XenDomctl*)arg;
        if (d->Cmd != XenDomctl.GetDomainInfo)
            return Record($"domctl({d->Cmd})", Enosys);
        string name = $"XEN_DOMCTL_getdomaininfo(dom {d->Domain})";
        if (TryInjectedFault(XenCall.DomctlGetDomainInfo, out long fault))
            return Record(name, fault);
        if (d->Version != XenDomctl.InterfaceVersion)
            return Record(name, -(long)XenErrno.EACCES);
        if (_options.Kind != SimulatedDomainKind.Dom0)
            return Record(name, -(long)XenErrno.EPERM);
        SimulatedXen? found = (Machine?.Domains ?? new[] { this })
            .Where(x => x._options.DomainId >= d->Domain).OrderBy(x => x._options.DomainId).FirstOrDefault();
        if (found is null)
            return Record(name, -(long)XenErrno.ESRCH);
        d->Domain = d->InfoDomain = found._options.DomainId;
        d->InfoFlags = found.ShutdownReasonGiven is uint reason
            ? XenDomctl.DominfShutdown | (reason << XenDomctl.DominfShutdownShift)
            : 0;
        d->InfoTotPages = (ulong)found._totalPages;
        return Record($"{name} -> dom {found._options.DomainId} flags {d->InfoFlags:x}", 0);
    }
}
