using GuestStub.Xen;

namespace GuestStub.Peers;

/// <summary>The cross-domain stage's outcome: dom0's backend over every peer, or a domU's frontend.</summary>
public struct CrossDomainResult
{
    public bool Ran;
    public bool IsBackend;
    public int PeersFound;
    public int PeersFailed;
    /// <summary>Finding the peers (a status query or getdomaininfo refused), for the backend.</summary>
    public XenFailure Discovery;
    /// <summary>The backend's foreign map of its own domain, which Xen must refuse.</summary>
    public ErrorPathResult ForeignMapOfSelf;
    /// <summary>Undoing that probe and giving its two pages back.</summary>
    public XenFailure ForeignMapOfSelfUndo;
    /// <summary>The first failure of any peer served.</summary>
    public XenFailure FirstPeerFailure;
    public FrontendResult Frontend;

    public readonly XenFailure FirstFailure =>
        IsBackend ? Discovery.Or(ErrorPaths.Failure(ForeignMapOfSelf)).Or(ForeignMapOfSelfUndo).Or(FirstPeerFailure) : Frontend.FirstFailure;
}
