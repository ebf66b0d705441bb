namespace GuestStub.Peers;

/// <summary>How a peer was found.</summary>
public enum PeerDiscoveryKind : byte
{
    /// <summary>A static event channel Xen bound before the domains ran (xen,evtchn-v1 in the host DT).</summary>
    StaticEventChannel,
    /// <summary>dom0's probe of the domains (DomainControl); the port is in the frontend's page.</summary>
    Probe,
}

/// <summary>The peers found, at most <see cref="Capacity"/>: domid, discovery, and for a static
/// event channel the local port already bound to the peer.</summary>
public unsafe struct PeerList
{
    public const int Capacity = 8;

    private fixed ushort _domid[Capacity];
    private fixed uint _port[Capacity];
    private fixed byte _kind[Capacity];
    private int _count;

    public readonly int Count => _count;

    public readonly ushort Domid(int index) => (uint)index < (uint)_count ? _domid[index] : (ushort)0;

    /// <summary>The local port bound to the peer by a static event channel; 0 for a probed peer.</summary>
    public readonly uint StaticPort(int index) => (uint)index < (uint)_count ? _port[index] : 0;

    public readonly PeerDiscoveryKind Kind(int index) =>
        (uint)index < (uint)_count ? (PeerDiscoveryKind)_kind[index] : PeerDiscoveryKind.Probe;

    public readonly bool Contains(ushort domid)
    {
        for (int i = 0; i < _count; i++)
            if (_domid[i] == domid)
                return true;
        return false;
    }

    /// <summary>Adds a peer not yet listed; false when it is listed or the list is full.</summary>
    public bool TryAdd(ushort domid, uint staticPort, PeerDiscoveryKind kind)
    {
        if (_count == Capacity || Contains(domid))
            return false;
        _domid[_count] = domid;
        _port[_count] = staticPort;
        _kind[_count] = (byte)kind;
        _count++;
        return true;
    }
}
