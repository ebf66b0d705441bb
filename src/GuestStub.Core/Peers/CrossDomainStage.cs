using GuestStub.Memory;
using GuestStub.Scratch;
using GuestStub.Xen;
using GuestStub.Xen.Setup;

namespace GuestStub.Peers;

/// <summary>
/// The cross-domain stage: dom0's backend serves every peer it finds, a domU's frontend
/// publishes its page and waits for dom0. The backend first finds its peers (static event
/// channels, then the probe, <see cref="PeerDiscovery"/>) and proves Xen refuses a foreign map
/// of itself (<see cref="ErrorPaths.ForeignMapOfSelf"/>), then serves each peer in turn
/// (<see cref="Backend.Serve"/>), the error paths that need a peer's page on the first whose
/// grant mapped and read intact. The observer is told the discovery and each peer as they
/// come; the stage returns its result like the others.
/// </summary>
public static class CrossDomainStage
{
    public static CrossDomainResult Run<TPlatform, TObserver, TBalloon>(ref TPlatform platform, ref TObserver observer,
        ref RamPageAllocator pages, ref ScratchPagePool<TBalloon> pool, in XenSetupResult xen)
        where TPlatform : struct, IXenPlatform where TObserver : struct, IPeerObserver
        where TBalloon : struct, IBalloonSource, allows ref struct
    {
        if (!xen.Identity.IsDom0)
            return new CrossDomainResult(Frontend.Run(ref platform, ref pages, xen));

        ushort ownDomid = xen.Identity.Domid;
        var peers = new PeerList();
        XenFailure discovery = PeerDiscovery.ScanStatic(ref platform, platform.Events, ownDomid, -1, ref peers);
        discovery = discovery.Or(PeerDiscovery.Probe(ref platform, xen.Identity.Interfaces, ownDomid, ref peers));
        ErrorPathResult foreignMapOfSelf = default;
        XenFailure undo = XenFailure.None;
        if (pages.TryAllocate(1, out ulong ownGfn))
        {
            if (pool.AllocatePage(out ulong target) == ScratchStatus.Ok)
            {
                foreignMapOfSelf = ErrorPaths.ForeignMapOfSelf(ref platform, ownGfn, target, ref undo);
                // A page still mapped is never handed out again (it stays allocated, and reported).
                if (!undo.IsFailure && pool.FreePage(target) != ScratchStatus.Ok)
                    undo = pool.BalloonFailure.IsFailure ? pool.BalloonFailure
                        : XenFailure.Stub(XenFailureCause.Mismatch).WithGfn(target >> PageSize.Shift);
            }
            if (!pages.Free(ownGfn, 1) && !undo.IsFailure)
                undo = XenFailure.Stub(XenFailureCause.Mismatch).WithGfn(ownGfn);
        }
        var found = new DiscoveryResult(discovery, foreignMapOfSelf, undo);
        observer.PeersFound(peers, found);

        // The error paths that need a peer's page run on the first peer whose grant mapped and read intact.
        bool errorPathsRan = false;
        int failed = 0;
        XenFailure firstPeerFailure = XenFailure.None;
        for (int i = 0; i < peers.Count; i++)
        {
            PeerResult peer = Backend.Serve(ref platform, ref pool, peers, i, ownDomid, !errorPathsRan);
            errorPathsRan |= peer.BatchWithBadFrame.Ran;
            observer.PeerServed(peer);
            XenFailure f = peer.FirstFailure;
            if (f.IsFailure)
            {
                failed++;
                firstPeerFailure = firstPeerFailure.Or(f);
            }
        }
        return new CrossDomainResult(peers.Count, found, failed, firstPeerFailure);
    }
}
