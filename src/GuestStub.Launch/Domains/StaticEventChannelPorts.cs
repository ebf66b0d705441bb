namespace GuestStub.Launch.Domains;

/// <summary>
/// The ports of the static event channel between dom0 and domU i (<c>xen,evtchn-v1</c>): dom0's
/// end at 10 + i, the domU's at 10. Written here once: the host tree names them, and the
/// simulated Xen binds the same ones for <c>gueststub plan --static-evtchn</c>. Port 10 and up
/// stay clear of the few ports a domain allocates for itself before it looks for them.
/// </summary>
public static class StaticEventChannelPorts
{
    public const uint DomU = 10;

    public static uint Dom0(int domU) => 10u + (uint)domU;

    /// <summary>Both ends of a static event channel between two domUs (the channel that signals
    /// over their static shared memory): clear of the ports to dom0 (10 to 18).</summary>
    public const uint BetweenDomUs = 20;
}
