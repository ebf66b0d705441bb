namespace GuestStub.Platform;

/// <summary>
/// What became of the hypervisor node's <c>interrupts</c> (the event-channel upcall PPI). A
/// node whose interrupt cannot be resolved is still a hypervisor node: the stub sets Xen up
/// without the upcall (the event-channel stage and what needs it are skipped, and say why),
/// where Linux's xen_guest_init gives up ("Xen event channel interrupt not found").
/// </summary>
public enum EventChannelInterruptStatus : byte
{
    /// <summary>The node has no <c>interrupts</c> property.</summary>
    Absent = 0,

    /// <summary>Decoded with its interrupt parent's #interrupt-cells:
    /// <see cref="HypervisorFacts.EventChannelInterrupt"/> holds it.</summary>
    Resolved,

    /// <summary><c>interrupts</c> is present but cannot be decoded: no interrupt-parent up the
    /// tree, a dangling phandle, bad #interrupt-cells, or a value of the wrong length or empty.
    /// <see cref="HypervisorFacts.EventChannelInterruptError"/> says which, and where.</summary>
    Unresolved,
}
