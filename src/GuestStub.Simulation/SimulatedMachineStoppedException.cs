using System;

namespace GuestStub.Simulation;

/// <summary>The machine stopped while this domain was still running: dom0 powered it off (Xen
/// halts the machine when the hardware domain shuts down), or the host's wall-clock bound ran out.</summary>
public sealed class SimulatedMachineStoppedException(string reason) : Exception(reason);
