using System.Linq;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// domctl: the hardware domain's view of the machine's domains, as the modelled release has it
// (SimulatedXenRelease): do_domctl's interface-version check, XEN_DOMCTL_getdomaininfo (up to
// 4.17 the domain asked for, else the first with a higher id; from 4.18 that domain or -ESRCH)
// and XEN_DOMCTL_get_domain_state (4.21+, stable: interface version 0).
public sealed unsafe partial class SimulatedXen
{
    private long OnDomctl(ulong arg)
    {
        var d = (XenDomctl*)arg;
        SimulatedXenRelease release = _options.Release;
        bool stateQuery = d->Cmd == XenDomctl.GetDomainState && release.HasGetDomainState;
        string name = d->Cmd switch
        {
            XenDomctl.GetDomainInfo => $"XEN_DOMCTL_getdomaininfo(dom {d->Domain}, version 0x{d->Version:x})",
            XenDomctl.GetDomainState => $"XEN_DOMCTL_get_domain_state(dom {d->Domain}, version 0x{d->Version:x})",
            _ => $"domctl({d->Cmd}, version 0x{d->Version:x})",
        };
        XenCall kind = d->Cmd == XenDomctl.GetDomainState ? XenCall.DomctlGetDomainState : XenCall.DomctlGetDomainInfo;
        if (TryInjectedFault(kind, out long fault))
            return Record(name, fault);
        // is_stable_domctl: only the stable commands take version 0, every other the release's.
        if (d->Version != (stateQuery ? XenDomctl.StableInterfaceVersion : release.DomctlInterfaceVersion))
            return Record(name, -(long)XenErrno.EACCES);
        if (d->Cmd != XenDomctl.GetDomainInfo && !stateQuery)
            return Record(name, Enosys); // arch_do_domctl's default
        if (_options.Kind != SimulatedDomainKind.Dom0)
            return Record(name, -(long)XenErrno.EPERM);
        SimulatedXen[] domains = (Machine?.Domains ?? new[] { this }).ToArray();
        SimulatedXen? found = release.GetDomainInfoFindsNext && !stateQuery
            ? domains.Where(x => x._options.DomainId >= d->Domain).OrderBy(x => x._options.DomainId).FirstOrDefault()
            : domains.FirstOrDefault(x => x._options.DomainId == d->Domain);
        if (found is null)
            return Record(name, -(long)XenErrno.ESRCH);
        if (stateQuery)
        {
            if (d->StatePad0 != 0)
                return Record(name, Einval);
            d->State = (ushort)(XenDomctl.StateExist | (found.ShutdownReasonGiven is null ? 0 : XenDomctl.StateShutdown));
            return Record($"{name} -> state {d->State:x}", 0);
        }
        d->Domain = d->InfoDomain = found._options.DomainId;
        d->InfoFlags = found.ShutdownReasonGiven is uint reason
            ? XenDomctl.DominfShutdown | (reason << XenDomctl.DominfShutdownShift)
            : 0;
        d->InfoTotPages = (ulong)found._totalPages;
        return Record($"{name} -> dom {found._options.DomainId} flags {d->InfoFlags:x}", 0);
    }
}
