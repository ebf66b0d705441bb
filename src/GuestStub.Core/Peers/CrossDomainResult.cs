using GuestStub.Xen;

namespace GuestStub.Peers;

/// <summary>Dom0's discovery of its peers, told to the observer before any peer is served:
/// how finding them went, and the foreign map of itself that Xen must refuse.</summary>
public readonly struct DiscoveryResult
{
    /// <summary>Finding the peers (a status query or the domain query refused).</summary>
    public readonly XenFailure Failure;
    /// <summary>The backend's foreign map of its own domain, which Xen must refuse.</summary>
    public readonly ErrorPathResult ForeignMapOfSelf;
    /// <summary>Undoing that probe and giving its two pages back.</summary>
    public readonly XenFailure ForeignMapOfSelfUndo;

    public DiscoveryResult(in XenFailure failure, in ErrorPathResult foreignMapOfSelf, in XenFailure foreignMapOfSelfUndo)
    {
        Failure = failure;
        ForeignMapOfSelf = foreignMapOfSelf;
        ForeignMapOfSelfUndo = foreignMapOfSelfUndo;
    }

    public XenFailure FirstFailure => Failure.Or(ErrorPaths.Failure(ForeignMapOfSelf)).Or(ForeignMapOfSelfUndo);
}

/// <summary>The cross-domain stage's outcome (<see cref="CrossDomainStage"/>): dom0's backend
/// over every peer, or a domU's frontend.</summary>
public readonly struct CrossDomainResult
{
    public readonly bool Ran;
    public readonly bool IsBackend;
    public readonly int PeersFound;
    public readonly int PeersFailed;
    /// <summary>The backend's discovery and its error path.</summary>
    public readonly DiscoveryResult Discovery;
    /// <summary>The first failure of any peer served.</summary>
    public readonly XenFailure FirstPeerFailure;
    public readonly FrontendResult Frontend;

    /// <summary>Dom0's backend, after serving <paramref name="peersFound"/> peers.</summary>
    public CrossDomainResult(int peersFound, in DiscoveryResult discovery, int peersFailed, in XenFailure firstPeerFailure)
    {
        this = default;
        Ran = true;
        IsBackend = true;
        PeersFound = peersFound;
        Discovery = discovery;
        PeersFailed = peersFailed;
        FirstPeerFailure = firstPeerFailure;
    }

    /// <summary>A domU's frontend.</summary>
    public CrossDomainResult(in FrontendResult frontend)
    {
        this = default;
        Ran = true;
        Frontend = frontend;
    }

    public XenFailure FirstFailure => IsBackend ? Discovery.FirstFailure.Or(FirstPeerFailure) : Frontend.FirstFailure;
}
