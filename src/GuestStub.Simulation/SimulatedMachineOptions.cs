using System;
using System.Collections.Generic;

namespace GuestStub.Simulation;

/// <summary>How a modelled machine is set up beyond its domains.</summary>
public sealed class SimulatedMachineOptions
{
    /// <summary>Event channels Xen binds before any domain runs (the host DT's xen,evtchn-v1 pairs).</summary>
    public IReadOnlyList<StaticEventChannel> StaticEventChannels { get; init; } = Array.Empty<StaticEventChannel>();

    /// <summary>How far the machine's counter jumps when every running domain is idle
    /// (<see cref="MachineClock"/>). Small enough that bounds of different lengths run out in
    /// their own order; large enough that a 60 s bound costs little wall time.</summary>
    public TimeSpan VirtualStep { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The host's safety bound on a whole run of the machine, in real time: a run that
    /// takes longer (a deadlock in the model or in the code under test) is stopped and reported,
    /// never waited on forever.</summary>
    public TimeSpan WallClockBound { get; init; } = TimeSpan.FromSeconds(60);
}
