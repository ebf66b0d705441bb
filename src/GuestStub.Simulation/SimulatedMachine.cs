using System;
using System.Collections.Generic;
using System.Linq;

namespace GuestStub.Simulation;

/// <summary>
/// Several modelled domains under one Xen: what lets an event channel, a grant or a foreign
/// mapping cross from one domain to another. Each domain is a <see cref="SimulatedXen"/> (Xen as
/// that domain sees it); the machine finds a domain by its id, binds the static event channels
/// before any domain runs, keeps the one CPU and counter they share (<see cref="MachineClock"/>)
/// and the one lock every hypercall and page lookup of every domain takes, so that domains can
/// run together, each on its own thread (<see cref="Run"/>), as vCPUs do under the real Xen.
/// </summary>
public sealed partial class SimulatedMachine : IDisposable
{
    private readonly Dictionary<ushort, SimulatedXen> _domains = new();
    private bool _staticChannelsBound;

    public SimulatedMachine(SimulatedMachineOptions? options = null)
    {
        Options = options ?? new SimulatedMachineOptions();
        Clock = new MachineClock(SyncRoot, Options.VirtualStep, Options.MaxVirtualStep);
    }

    public SimulatedMachineOptions Options { get; }

    /// <summary>The machine-wide lock: the model's state of every domain is guarded by it.</summary>
    internal object SyncRoot { get; } = new();

    public MachineClock Clock { get; }

    /// <summary>Adds <paramref name="domain"/> under its id (before it runs).</summary>
    public SimulatedXen Add(SimulatedXen domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        lock (SyncRoot)
        {
            if (domain.Machine is not null)
                throw new ArgumentException($"domain {domain.Options.DomainId} already belongs to a machine", nameof(domain));
            if (_domains.ContainsKey(domain.Options.DomainId))
                throw new ArgumentException($"the machine already has a domain {domain.Options.DomainId}", nameof(domain));
            _domains.Add(domain.Options.DomainId, domain);
            domain.Machine = this;
        }
        return domain;
    }

    public SimulatedXen? Find(ushort domid)
    {
        lock (SyncRoot)
            return _domains.TryGetValue(domid, out SimulatedXen? d) ? d : null;
    }

    /// <summary>The domains, by id.</summary>
    public IReadOnlyList<SimulatedXen> Domains
    {
        get
        {
            lock (SyncRoot)
                return _domains.Values.OrderBy(d => d.Options.DomainId).ToList();
        }
    }

    /// <summary>
    /// Binds <see cref="SimulatedMachineOptions.StaticEventChannels"/> as Xen 4.17 does before any
    /// domain runs (alloc_static_evtchn); once per machine (<see cref="Run"/> calls it). A channel
    /// naming a domain the machine lacks, or a port that is taken or out of range, is an error, as
    /// Xen panics on it ("Could not set up domains evtchn").
    /// </summary>
    public void BindStaticEventChannels()
    {
        lock (SyncRoot)
        {
            if (_staticChannelsBound)
                return;
            _staticChannelsBound = true;
            foreach (StaticEventChannel channel in Options.StaticEventChannels)
            {
                SimulatedXen first = Find(channel.Domain)
                    ?? throw new SimulatedXenException($"static event channel {channel}: no domain {channel.Domain}");
                SimulatedXen second = Find(channel.RemoteDomain)
                    ?? throw new SimulatedXenException($"static event channel {channel}: no domain {channel.RemoteDomain}");
                if (first == second)
                    throw new SimulatedXenException($"static event channel {channel}: both ends in one domain");
                first.AllocStaticUnbound(channel.Port, second.Options.DomainId);
                second.BindStaticInterdomain(channel.RemotePort, first, channel.Port);
            }
        }
    }

    /// <summary>Every domain's books (<see cref="SimulatedXen.CheckBooks"/>), each line prefixed
    /// with the domain ("d1: ..."): empty when nothing is left mapped, pinned, granted or open
    /// anywhere on the machine.</summary>
    public IReadOnlyList<string> CheckBooks()
    {
        var problems = new List<string>();
        foreach (SimulatedXen domain in Domains)
            problems.AddRange(domain.CheckBooks().Select(p => $"d{domain.Options.DomainId}: {p}"));
        return problems;
    }

    /// <summary>Frees every domain's model.</summary>
    public void Dispose()
    {
        foreach (SimulatedXen domain in Domains)
            domain.Dispose();
    }
}
