using System.Collections.Generic;

namespace GuestStub.Simulation;

/// <summary>
/// Several modelled domains under one Xen: what lets an event channel, a grant or a foreign
/// mapping cross from one domain to another. Each domain is a <see cref="SimulatedXen"/> (Xen as
/// that domain sees it); the machine finds a domain by its id.
/// </summary>
public sealed class SimulatedMachine
{
    private readonly Dictionary<ushort, SimulatedXen> _domains = new();

    /// <summary>Adds <paramref name="domain"/> under its id.</summary>
    public SimulatedXen Add(SimulatedXen domain)
    {
        _domains.Add(domain.Options.DomainId, domain);
        domain.Machine = this;
        return domain;
    }

    public SimulatedXen? Find(ushort domid) => _domains.TryGetValue(domid, out SimulatedXen? d) ? d : null;

    public IEnumerable<SimulatedXen> Domains => _domains.Values;
}
