namespace GuestStub.Platform;

/// <summary>
/// The interrupt half of the platform, for the event-channel upcall: enabling the one
/// interrupt the stub takes and letting it be taken. Implemented by structs and used as a
/// generic constraint: in the guest the GIC (v2 or v3, chosen from the tree), whose IRQ handler
/// runs the upcall; on the host a model that runs it when the simulated line is asserted.
/// </summary>
public interface IInterruptController
{
    /// <summary>Enables GIC interrupt <paramref name="intId"/> (a PPI) at the controller and the
    /// CPU interface. False when the controller cannot (none found, or not a PPI).</summary>
    bool Enable(uint intId);

    /// <summary>Disables it again, so a later boot starts with it off.</summary>
    void Disable(uint intId);

    /// <summary>
    /// Lets a pending interrupt be taken, then gives the CPU away for a moment (under Xen,
    /// SCHEDOP_yield: the other end of an event channel may need this CPU to send). Returns at
    /// once when nothing is pending: callers loop on it with a bound of their own.
    /// </summary>
    void Idle();
}
