using System;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Scratch;
using GuestStub.Xen;
using GuestStub.Xen.Events;

namespace GuestStub.Peers;

/// <summary>What dom0's backend did for one peer: each step's failure (none: it worked, or it
/// did not run because an earlier one failed; <see cref="GrantMap"/> failing stops the rest).</summary>
public readonly struct PeerResult
{
    public readonly ushort Domid;
    public readonly PeerDiscoveryKind Discovery;
    public readonly uint Port;
    public readonly XenFailure GrantMap;
    public readonly XenFailure GrantMapReadOnly;
    public readonly XenFailure Evtchn;
    public readonly XenFailure ForeignMap;
    public readonly XenFailure AcquireGrantTable;
    /// <summary>Unmapping everything and giving the scratch pages back.</summary>
    public readonly XenFailure Teardown;
    /// <summary>The error paths that need a peer, run on the first one served.</summary>
    public readonly ErrorPathResult BatchWithBadFrame;
    public readonly ErrorPathResult UngrantedRef;

    public PeerResult(ushort domid, PeerDiscoveryKind discovery, uint port, in XenFailure grantMap, in XenFailure grantMapReadOnly,
        in XenFailure evtchn, in XenFailure foreignMap, in XenFailure acquireGrantTable, in XenFailure teardown,
        in ErrorPathResult batchWithBadFrame, in ErrorPathResult ungrantedRef)
    {
        Domid = domid;
        Discovery = discovery;
        Port = port;
        GrantMap = grantMap;
        GrantMapReadOnly = grantMapReadOnly;
        Evtchn = evtchn;
        ForeignMap = foreignMap;
        AcquireGrantTable = acquireGrantTable;
        Teardown = teardown;
        BatchWithBadFrame = batchWithBadFrame;
        UngrantedRef = ungrantedRef;
    }

    public XenFailure FirstFailure
    {
        get
        {
            if (GrantMap.IsFailure)
                return GrantMap;
            if (GrantMapReadOnly.IsFailure)
                return GrantMapReadOnly;
            if (Evtchn.IsFailure)
                return Evtchn;
            if (ForeignMap.IsFailure)
                return ForeignMap;
            if (AcquireGrantTable.IsFailure)
                return AcquireGrantTable;
            if (Teardown.IsFailure)
                return Teardown;
            XenFailure f = ErrorPaths.Failure(BatchWithBadFrame);
            return f.IsFailure ? f : ErrorPaths.Failure(UngrantedRef);
        }
    }
}

/// <summary>
/// Dom0's side of the cross-domain proof, for one peer, the way Linux's backends and privcmd use
/// unpopulated pages: the peer's granted page mapped into a scratch page
/// (GNTTABOP_map_grant_ref, GNTMAP_host_map, host_addr in the extended region), then once more
/// read-only; the pattern checked, a reply written, the event channel bound and notified; one of
/// the peer's RAM frames mapped with XENMEM_add_to_physmap_batch(XENMAPSPACE_gmfn_foreign), as
/// privcmd does, and its grant table with XENMEM_acquire_resource, as a toolstack does, the
/// frontend's entry read there; then everything unmapped and the scratch pages given back. The
/// peer's grant is waited for within <see cref="ShowUpBoundMs"/>: a peer that never shows up is
/// reported, never waited on forever.
/// </summary>
public static unsafe class Backend
{
    public const ulong ShowUpBoundMs = 15_000;

    /// <summary>Scratch pages one peer needs: read-write and read-only grant maps, a foreign
    /// frame, a grant-table frame, and one more for the bad batch's good half.</summary>
    private const int ScratchPages = 5;

    /// <summary>Serves peer <paramref name="index"/> of <paramref name="peers"/>.</summary>
    public static PeerResult Serve<TPlatform, TBalloon>(ref TPlatform platform, ref ScratchPagePool<TBalloon> pool, in PeerList peers,
        int index, ushort ownDomid, bool runErrorPaths)
        where TPlatform : struct, IXenPlatform where TBalloon : struct, IBalloonSource, allows ref struct
    {
        ushort domid = peers.Domid(index);
        PeerDiscoveryKind kind = peers.Kind(index);
        Span<ulong> scratch = stackalloc ulong[ScratchPages];
        if (pool.Allocate(scratch) != ScratchStatus.Ok)
            return new PeerResult(domid, kind, 0, ScratchFailureAsXen(pool.BalloonFailure), default, default, default, default, default,
                default, default);
        XenFailure grantMap, grantMapReadOnly = default, evtchn = default, foreignMap = default, acquireGrantTable = default;
        XenFailure teardown = default;
        ErrorPathResult batchWithBadFrame = default, ungrantedRef = default;
        uint port = 0;
        ulong rw = scratch[0], ro = scratch[1], foreign = scratch[2], table = scratch[3];
        // Every unmap's refusal lands here, then in teardown: the scratch pages go back only
        // when everything was unmapped.
        XenFailure undo = XenFailure.None;
        grantMap = WaitForGrant(ref platform, rw, domid, out uint rwHandle);
        if (!grantMap.IsFailure)
        {
            byte* page = BeginReading(ref platform, rw, out bool rwNormal);
            if (page == null || !PeerPage.IsIntact(page, domid))
                grantMap = Mismatch(domid);
            ulong peerGfn = page == null ? 0 : PeerPage.Gfn(page);

            grantMapReadOnly = GrantTable.MapGrantRef(ref platform, ro, domid, PeerPage.FrontendRef, readOnly: true, out uint roHandle);
            // Mapped, whatever the check below finds: a page that reads wrong is unmapped all the same.
            bool roMapped = !grantMapReadOnly.IsFailure;
            bool roNormal = false;
            if (roMapped)
            {
                byte* view = BeginReading(ref platform, ro, out roNormal);
                if (view == null || !PeerPage.IsIntact(view, domid))
                    grantMapReadOnly = Mismatch(domid);
            }

            if (!grantMap.IsFailure)
            {
                PeerPage.Reply(page, ownDomid);
                platform.WriteBarrier();
                evtchn = Notify(ref platform, peers, index, PeerPage.Port(page), out port);
                foreignMap = MapForeign(ref platform, domid, peerGfn, foreign, ref undo);
                acquireGrantTable = ReadFrontendEntry(ref platform, domid, ownDomid, peerGfn, table, ref undo);
                if (runErrorPaths)
                {
                    batchWithBadFrame = ErrorPaths.BatchWithBadFrame(ref platform, domid, peerGfn, foreign, scratch[4], ref undo);
                    ungrantedRef = ErrorPaths.UngrantedRef(ref platform, domid, table, ref undo);
                }
            }
            teardown = undo;
            EndReading(ref platform, ro, roNormal);
            if (roMapped)
                teardown = teardown.Or(GrantTable.UnmapGrantRef(ref platform, ro, roHandle));
            EndReading(ref platform, rw, rwNormal);
            teardown = teardown.Or(GrantTable.UnmapGrantRef(ref platform, rw, rwHandle));
            teardown = teardown.Or(platform.Events.CloseOrRelease(ref platform, ref platform, port, kind == PeerDiscoveryKind.StaticEventChannel));
        }

        // A page still mapped (an unmap Xen refused) is never handed out again.
        if (!teardown.IsFailure && pool.Free(scratch) != ScratchStatus.Ok)
            teardown = ScratchFailureAsXen(pool.BalloonFailure);
        return new PeerResult(domid, kind, port, grantMap, grantMapReadOnly, evtchn, foreignMap, acquireGrantTable, teardown,
            batchWithBadFrame, ungrantedRef);
    }

    private static XenFailure Mismatch(ushort domid) => XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(PeerPage.FrontendRef).WithDom(domid);

    /// <summary>map_grant_ref of the peer's page, tried until it succeeds or the bound passes:
    /// the peer grants its page when it gets there, which may be after dom0 does.</summary>
    private static XenFailure WaitForGrant<TPlatform>(ref TPlatform platform, ulong hostAddress, ushort domid, out uint handle)
        where TPlatform : struct, IXenPlatform
    {
        Deadline deadline = Deadline.After(ref platform, ShowUpBoundMs);
        while (true)
        {
            XenFailure f = GrantTable.MapGrantRef(ref platform, hostAddress, domid, PeerPage.FrontendRef, readOnly: false, out handle);
            if (!f.IsFailure)
                return f;
            if (f.Cause != XenFailureCause.GrantStatus || deadline.Expired(ref platform))
                return f.Cause == XenFailureCause.GrantStatus
                    ? XenFailure.Timeout(ShowUpBoundMs).WithIndex(PeerPage.FrontendRef).WithDom(domid)
                    : f.WithDom(domid);
            platform.Idle();
        }
    }

    /// <summary>The peer's channel: the static port already bound to it, or a bind to the port its
    /// page names; then EVTCHNOP_send.</summary>
    private static XenFailure Notify<TPlatform>(ref TPlatform platform, in PeerList peers, int index, uint peerPort, out uint port)
        where TPlatform : struct, IXenPlatform
    {
        ref EventChannels events = ref platform.Events;
        XenFailure f;
        if (peers.Kind(index) == PeerDiscoveryKind.StaticEventChannel)
        {
            port = peers.StaticPort(index);
            f = events.Adopt(ref platform, ref platform, port);
        }
        else
        {
            f = events.BindInterdomain(ref platform, ref platform, peers.Domid(index), peerPort, out port);
        }
        return f.IsFailure ? f : events.Send(ref platform, port);
    }

    /// <summary>privcmd's foreign map of the peer's page at a scratch page, the pattern checked
    /// there, unmapped.</summary>
    private static XenFailure MapForeign<TPlatform>(ref TPlatform platform, ushort domid, ulong peerGfn, ulong target,
        ref XenFailure undo) where TPlatform : struct, IXenPlatform
    {
        ulong gfn = target >> PageSize.Shift;
        XenFailure f = ForeignMemory.MapOne(ref platform, domid, peerGfn, gfn);
        if (f.IsFailure)
            return f;
        byte* page = BeginReading(ref platform, target, out bool normal);
        XenFailure check = page == null || !PeerPage.IsIntact(page, domid)
            ? XenFailure.Stub(XenFailureCause.Mismatch).WithDom(domid).WithGfn(peerGfn)
            : XenFailure.None;
        EndReading(ref platform, target, normal);
        ForeignMemory.Unmap(ref platform, gfn, ref undo);
        return check;
    }

    /// <summary>A toolstack's view of the peer's grant table: frame 0 through
    /// XENMEM_acquire_resource, the frontend's entry read there (its frame, dom0 as the grantee,
    /// access permitted), unmapped.</summary>
    private static XenFailure ReadFrontendEntry<TPlatform>(ref TPlatform platform, ushort domid, ushort ownDomid, ulong peerGfn,
        ulong target, ref XenFailure undo) where TPlatform : struct, IXenPlatform
    {
        ulong gfn = target >> PageSize.Shift;
        XenFailure f = ForeignMemory.AcquireGrantTableFrame(ref platform, domid, 0, gfn);
        if (f.IsFailure)
            return f;
        var entry = (GuestStub.Xen.Abi.GrantEntryV1*)BeginReading(ref platform, target, out bool normal);
        if (entry != null)
            entry += PeerPage.FrontendRef;
        bool right = entry != null && entry->Frame == (uint)peerGfn && entry->Domid == ownDomid &&
            (entry->Flags & GuestStub.Xen.Abi.GrantEntryV1.GtfPermitAccess) != 0;
        XenFailure check = right ? XenFailure.None
            : XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(PeerPage.FrontendRef).WithDom(domid);
        EndReading(ref platform, target, normal);
        ForeignMemory.Unmap(ref platform, gfn, ref undo);
        return check;
    }

    /// <summary>The mapped page at <paramref name="target"/>, made Normal memory for the stub to
    /// read from its mapping to its unmap (IGuestMemory: EndNormalAccess cleans the cache while Xen
    /// still maps the frame); null when it could not be. <see cref="EndReading"/> undoes it.</summary>
    private static byte* BeginReading<TMem>(ref TMem mem, ulong target, out bool normal) where TMem : struct, IGuestMemory
    {
        normal = mem.BeginNormalAccess(Page(target));
        return normal ? mem.Page(target >> PageSize.Shift) : null;
    }

    private static void EndReading<TMem>(ref TMem mem, ulong target, bool normal) where TMem : struct, IGuestMemory
    {
        if (normal)
            mem.EndNormalAccess(Page(target));
    }

    private static XenFailure ScratchFailureAsXen(in XenFailure balloon) =>
        balloon.IsFailure ? balloon : XenFailure.Stub(XenFailureCause.OutOfPages);

    private static PhysicalRange Page(ulong address)
    {
        PhysicalRange.TryCreate(address, PageSize.Bytes, out PhysicalRange page);
        return page;
    }
}
