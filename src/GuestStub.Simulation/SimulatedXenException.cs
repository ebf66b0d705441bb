using System;

namespace GuestStub.Simulation;

/// <summary>The stub did something no Xen would let it do (a malformed argument the model
/// cannot interpret), or something the model does not model; thrown at the model's edge so a
/// test fails with the reason.</summary>
public sealed class SimulatedXenException : Exception
{
    public SimulatedXenException(string message) : base(message)
    {
    }

    public SimulatedXenException(string message, Exception inner) : base(message, inner)
    {
    }
}
