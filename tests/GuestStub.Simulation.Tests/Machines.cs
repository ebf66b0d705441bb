using System;
using System.Collections.Generic;
using System.Linq;

namespace GuestStub.Simulation.Tests;

/// <summary>What a run of several domains on one simulated machine gave, with the machine kept
/// for questions to its models (call logs, books) until disposed.</summary>
public sealed class MachineBoot : IDisposable
{
    public MachineBoot(SimulatedMachine machine, IReadOnlyList<SimulatedBootResult> results)
    {
        Machine = machine;
        Results = results;
    }

    public SimulatedMachine Machine { get; }
    public IReadOnlyList<SimulatedBootResult> Results { get; }

    public SimulatedBootResult Dom0 => Results.Single(r => r.Domid == 0);

    public SimulatedBootResult DomU(ushort domid) => Results.Single(r => r.Domid == domid);

    public SimulatedXen Model(ushort domid) => Machine.Find(domid) ?? throw new ArgumentException($"no domain {domid}");

    /// <summary>Every domain's books, "dN: ..." (the machine's, domains that did not run included).</summary>
    public IReadOnlyList<string> Books => Machine.CheckBooks();

    /// <summary>Everything each domain printed, for an assertion's message.</summary>
    public string Describe() => string.Join("\n", Results.Select(r =>
        $"=== d{r.Domid}{(r.CutOff is null ? "" : $" (cut off: {r.CutOff})")}\n{r.Output}" +
        string.Concat(r.BooksProblems.Select(p => $"books: {p}\n"))));

    public void Dispose() => Machine.Dispose();
}

/// <summary>Machines of the stub as dom0 and domUs, as <c>./build.sh run --domu --domus N</c> boots them.</summary>
public static class Machines
{
    /// <summary>Dom0 (<see cref="Guests.Dom0"/>) and <paramref name="domUs"/> domUs (ids 1..N,
    /// <see cref="Guests.DomU"/> without boot arguments: each learns its id from Xen), all running
    /// the stub; with <paramref name="staticChannels"/>, a static event channel between dom0 and
    /// each domU as gueststub run --static-evtchn makes them. <paramref name="silentDomUs"/>
    /// more domUs exist but run nothing (a peer that never shows up). <paramref name="prepare"/>
    /// gets every domain's model before the run (fault injection).</summary>
    public static MachineBoot Boot(int domUs, bool staticChannels = false, Action<SimulatedXen>? prepare = null,
        string? dom0Bootargs = null, string? domUBootargs = null, int silentDomUs = 0, TimeSpan? virtualStep = null,
        SimulatedXenRelease? release = null)
    {
        byte[] domU = Guests.DomU(null);
        var domains = Enumerable.Range(1, domUs).Select(i => ((ushort)i, domU)).ToArray();
        return Boot(domains, staticChannels, prepare, dom0Bootargs, domUBootargs, silentDomUs, virtualStep: virtualStep, release: release);
    }

    /// <summary>As above with the domUs' ids and trees given; with <paramref name="dom0"/> false,
    /// no dom0 at all.</summary>
    public static MachineBoot Boot(IReadOnlyList<(ushort Domid, byte[] Dtb)> domUs, bool staticChannels = false,
        Action<SimulatedXen>? prepare = null, string? dom0Bootargs = null, string? domUBootargs = null, int silentDomUs = 0,
        uint maxFrames = 64, bool dom0 = true, TimeSpan? virtualStep = null, SimulatedXenRelease? release = null)
    {
        var options = new SimulatedMachineOptions
        {
            StaticEventChannels = staticChannels ? domUs.Select(d => StaticEventChannel.Dom0ToDomU(d.Domid)).ToArray() : Array.Empty<StaticEventChannel>(),
            VirtualStep = virtualStep ?? new SimulatedMachineOptions().VirtualStep,
        };
        var machine = new SimulatedMachine(options);
        try
        {
            var runs = new List<SimulatedDomainRun>();
            if (dom0)
            {
                byte[] dom0Dtb = Guests.Dom0();
                SimulatedXen x = machine.Add(SimulatedBoot.CreateModel(dom0Dtb, ram => SimulatedXenOptions.ForDom0(ram, maxFrames, release)));
                runs.Add(SimulatedDomainRun.Stub(x, dom0Dtb, dom0Bootargs));
            }
            foreach ((ushort domid, byte[] dtb) in domUs)
            {
                SimulatedXen x = machine.Add(SimulatedBoot.CreateModel(dtb, ram => SimulatedXenOptions.ForDomU(ram, domid, maxFrames, release)));
                runs.Add(SimulatedDomainRun.Stub(x, dtb, domUBootargs));
            }
            ushort next = (ushort)(domUs.Count == 0 ? 1 : domUs.Max(d => d.Domid) + 1);
            for (int i = 0; i < silentDomUs; i++)
                machine.Add(SimulatedBoot.CreateModel(Guests.DomU(null), ram => SimulatedXenOptions.ForDomU(ram, (ushort)(next + i), release: release)));
            foreach (SimulatedXen x in machine.Domains)
                prepare?.Invoke(x);
            return new MachineBoot(machine, machine.Run(runs.ToArray()));
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }
}
