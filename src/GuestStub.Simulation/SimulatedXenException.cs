using System;

namespace GuestStub.Simulation;

/// <summary>The stub did something no Xen would let it do (a malformed argument the model
/// cannot interpret); thrown at the model's edge so a test fails with the reason.</summary>
public sealed class SimulatedXenException(string message) : Exception(message);
