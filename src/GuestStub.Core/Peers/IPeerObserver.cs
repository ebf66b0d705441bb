namespace GuestStub.Peers;

/// <summary>
/// Told what dom0's backend does as it goes, so the report can write each peer's lines while
/// the next one is served (a peer that hangs the backend has its predecessors' lines printed).
/// Implemented by structs and used as a generic constraint; the boot's observer is one
/// (GuestStub.Boot.IBootObserver).
/// </summary>
public interface IPeerObserver
{
    /// <summary>Dom0 found its peers (and proved a foreign map of itself is refused).</summary>
    void PeersFound(in PeerList peers, in DiscoveryResult found);

    /// <summary>Dom0 served one peer.</summary>
    void PeerServed(in PeerResult peer);
}
