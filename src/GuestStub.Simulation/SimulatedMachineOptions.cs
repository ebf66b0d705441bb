using System;
using System.Collections.Generic;

namespace GuestStub.Simulation;

/// <summary>How a modelled machine is set up beyond its domains.</summary>
public sealed class SimulatedMachineOptions
{
    /// <summary>Event channels Xen binds before any domain runs (the host DT's xen,evtchn-v1 pairs).</summary>
    public IReadOnlyList<StaticEventChannel> StaticEventChannels { get; init; } = Array.Empty<StaticEventChannel>();

    /// <summary>How far the machine's counter jumps when every running domain is idle, the first
    /// time after something happened (<see cref="MachineClock"/>).</summary>
    public TimeSpan VirtualStep { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The largest jump, reached by doubling while nothing happens: small enough that
    /// the stub's bounds (100 ms, 15 s, 30 s, 60 s) run out in their own order and close to
    /// their length; large enough that a 60 s bound costs a few hundred jumps.</summary>
    public TimeSpan MaxVirtualStep { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The host's safety bound on a whole run of the machine, in real time: a run that
    /// takes longer (a deadlock in the model or in the code under test) is stopped and reported,
    /// never waited on forever.</summary>
    public TimeSpan WallClockBound { get; init; } = TimeSpan.FromSeconds(60);
}
