namespace GuestStub.Simulation;

/// <summary>
/// A static event channel, as the host DT's <c>xen,evtchn-v1</c> node pair describes one and Xen
/// 4.17's alloc_static_evtchn (arch/arm/domain_build.c) binds it before any domain runs:
/// <see cref="Port"/> of <see cref="Domain"/> is allocated unbound for <see cref="RemoteDomain"/>
/// (evtchn_alloc_unbound at that port), then <see cref="RemotePort"/> of the remote domain is
/// bound to it (evtchn_bind_interdomain at that port, which leaves the remote port pending).
/// The first end is the node Xen meets first: dom0's, under /chosen, for a dom0-domU channel.
/// </summary>
public sealed record StaticEventChannel(ushort Domain, uint Port, ushort RemoteDomain, uint RemotePort)
{
    /// <summary>The ports the launcher's host tree gives the channel between dom0 and domU
    /// <paramref name="domU"/> (<c>gueststub run --static-evtchn</c>): 10 + domid at dom0, 10 at
    /// the domU (<see cref="Launch.Domains.StaticEventChannelPorts"/>).</summary>
    public static StaticEventChannel Dom0ToDomU(ushort domU) =>
        new(0, Launch.Domains.StaticEventChannelPorts.Dom0(domU), domU, Launch.Domains.StaticEventChannelPorts.DomU);

    public override string ToString() => $"dom {Domain} port {Port} <-> dom {RemoteDomain} port {RemotePort}";
}
