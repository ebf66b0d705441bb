using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen.Events;

namespace GuestStub.Xen;

/// <summary>
/// The whole platform seam as one type: the hypercall transport, guest memory, the interrupt
/// controller the upcall arrives at, the counter, and the event-channel table the platform's
/// upcall dispatches into. The stages that use all of it (event channels, across domains, the
/// pipeline, dom0's wait) take one <c>ref TPlatform</c> (<c>where TPlatform : struct,
/// IXenPlatform</c>) and pass it on as whichever half a lower-level call needs
/// (<c>ref platform</c> as <c>THc</c>, <c>TMem</c>, <c>TIrq</c> or <c>TClock</c>), so the guest's
/// calls stay direct. The guest's implementation is GuestStub.Guest's GuestPlatform, the host's
/// GuestStub.Simulation's SimulatedGuestPlatform.
/// </summary>
public interface IXenPlatform : IXenHypercalls, IGuestMemory, IInterruptController, ITickSource
{
    /// <summary>The platform's event-channel table: the guest keeps it in a static of value
    /// type, where its IRQ handler finds it; the simulation in the modelled domain.</summary>
    ref EventChannels Events { get; }
}
