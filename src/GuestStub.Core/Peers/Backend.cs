using System;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Scratch;
using GuestStub.Xen;
using GuestStub.Xen.Events;

namespace GuestStub.Peers;

/// <summary>What Xen answered to a request that must fail (an error path proven on real Xen).</summary>
public readonly struct ErrorPathResult
{
    public readonly bool Ran;
    /// <summary>Xen refused, as it must.</summary>
    public readonly bool Refused;
    /// <summary>What Xen answered (the refusal, named), or why the probe could not be made.</summary>
    public readonly XenFailure Answer;

    public ErrorPathResult(bool refused, in XenFailure answer)
    {
        Ran = true;
        Refused = refused;
        Answer = answer;
    }
}

/// <summary>What dom0's backend did for one peer: each step's failure (none: it worked, or it
/// did not run because an earlier one failed; <see cref="GrantMap"/> failing stops the rest).</summary>
public struct PeerResult
{
    public ushort Domid;
    public PeerDiscoveryKind Discovery;
    public uint Port;
    public XenFailure GrantMap;
    public XenFailure GrantMapReadOnly;
    public XenFailure Evtchn;
    public XenFailure ForeignMap;
    public XenFailure AcquireGrantTable;
    /// <summary>Unmapping everything and giving the scratch pages back.</summary>
    public XenFailure Teardown;
    /// <summary>The error paths that need a peer, run on the first one served.</summary>
    public ErrorPathResult BatchWithBadFrame;
    public ErrorPathResult UngrantedRef;

    public readonly XenFailure FirstFailure
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

    /// <summary>Serves peer <paramref name="index"/> of <paramref name="peers"/>, filling
    /// <paramref name="result"/> (a fresh one) step by step.</summary>
    public static void Serve<THc, TMem, TIrq, TClock, TBalloon>(ref THc hc, ref TMem mem, ref TIrq irq, ref TClock clock,
        ref EventChannels events, ref ScratchPagePool<TBalloon> pool, in PeerList peers, int index, ushort ownDomid, bool runErrorPaths,
        ref PeerResult result)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory where TIrq : struct, IInterruptController
        where TClock : struct, ITickSource where TBalloon : struct, IBalloonSource, allows ref struct
    {
        ushort domid = peers.Domid(index);
        result.Domid = domid;
        result.Discovery = peers.Kind(index);
        Span<ulong> scratch = stackalloc ulong[ScratchPages];
        ScratchStatus taken = pool.Allocate(scratch);
        if (taken != ScratchStatus.Ok)
        {
            result.GrantMap = ScratchFailureAsXen(pool.BalloonFailure);
            return;
        }
        ulong rw = scratch[0], ro = scratch[1], foreign = scratch[2], table = scratch[3];
        // Every unmap's refusal lands here, then in Teardown: the scratch pages go back only
        // when everything was unmapped.
        XenFailure undo = XenFailure.None;
        result.GrantMap = WaitForGrant(ref hc, ref irq, ref clock, rw, domid, out uint rwHandle);
        if (!result.GrantMap.IsFailure)
        {
            byte* page = BeginReading(ref mem, rw, out bool rwNormal);
            if (page == null || !PeerPage.IsIntact(page, domid))
                result.GrantMap = Mismatch(domid);
            ulong peerGfn = page == null ? 0 : PeerPage.Gfn(page);

            result.GrantMapReadOnly = GrantTable.MapGrantRef(ref hc, ro, domid, PeerPage.FrontendRef, readOnly: true, out uint roHandle);
            // Mapped, whatever the check below finds: a page that reads wrong is unmapped all the same.
            bool roMapped = !result.GrantMapReadOnly.IsFailure;
            bool roNormal = false;
            if (roMapped)
            {
                byte* view = BeginReading(ref mem, ro, out roNormal);
                if (view == null || !PeerPage.IsIntact(view, domid))
                    result.GrantMapReadOnly = Mismatch(domid);
            }

            if (!result.GrantMap.IsFailure)
            {
                PeerPage.Reply(page, ownDomid);
                mem.WriteBarrier();
                result.Evtchn = Notify(ref hc, ref mem, ref events, peers, index, PeerPage.Port(page), out result.Port);
                result.ForeignMap = MapForeign(ref hc, ref mem, domid, peerGfn, foreign, ref undo);
                result.AcquireGrantTable = ReadFrontendEntry(ref hc, ref mem, domid, ownDomid, peerGfn, table, ref undo);
                if (runErrorPaths)
                {
                    result.BatchWithBadFrame = ErrorPaths.BatchWithBadFrame(ref hc, domid, peerGfn, foreign, scratch[4], ref undo);
                    result.UngrantedRef = ErrorPaths.UngrantedRef(ref hc, domid, table, ref undo);
                }
            }
            result.Teardown = undo;
            EndReading(ref mem, ro, roNormal);
            if (roMapped)
                result.Teardown = result.Teardown.Or(GrantTable.UnmapGrantRef(ref hc, ro, roHandle));
            EndReading(ref mem, rw, rwNormal);
            result.Teardown = result.Teardown.Or(GrantTable.UnmapGrantRef(ref hc, rw, rwHandle));
            result.Teardown = result.Teardown.Or(events.CloseOrRelease(ref hc, ref mem, result.Port, result.Discovery == PeerDiscoveryKind.StaticEventChannel));
        }

        // A page still mapped (an unmap Xen refused) is never handed out again.
        if (!result.Teardown.IsFailure && pool.Free(scratch) != ScratchStatus.Ok)
            result.Teardown = ScratchFailureAsXen(pool.BalloonFailure);
    }

    private static XenFailure Mismatch(ushort domid) => XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(PeerPage.FrontendRef).WithDom(domid);

    /// <summary>map_grant_ref of the peer's page, tried until it succeeds or the bound passes:
    /// the peer grants its page when it gets there, which may be after dom0 does.</summary>
    private static XenFailure WaitForGrant<THc, TIrq, TClock>(ref THc hc, ref TIrq irq, ref TClock clock, ulong hostAddress, ushort domid,
        out uint handle) where THc : struct, IXenHypercalls where TIrq : struct, IInterruptController where TClock : struct, ITickSource
    {
        Deadline deadline = Deadline.After(ref clock, ShowUpBoundMs);
        while (true)
        {
            XenFailure f = GrantTable.MapGrantRef(ref hc, hostAddress, domid, PeerPage.FrontendRef, readOnly: false, out handle);
            if (!f.IsFailure)
                return f;
            if (f.Cause != XenFailureCause.GrantStatus || deadline.Expired(ref clock))
                return f.Cause == XenFailureCause.GrantStatus
                    ? XenFailure.Timeout(ShowUpBoundMs).WithIndex(PeerPage.FrontendRef).WithDom(domid)
                    : f.WithDom(domid);
            irq.Idle();
        }
    }

    /// <summary>The peer's channel: the static port already bound to it, or a bind to the port its
    /// page names; then EVTCHNOP_send.</summary>
    private static XenFailure Notify<THc, TMem>(ref THc hc, ref TMem mem, ref EventChannels events, in PeerList peers, int index,
        uint peerPort, out uint port) where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        XenFailure f;
        if (peers.Kind(index) == PeerDiscoveryKind.StaticEventChannel)
        {
            port = peers.StaticPort(index);
            f = events.Adopt(ref hc, ref mem, port);
        }
        else
        {
            f = events.BindInterdomain(ref hc, ref mem, peers.Domid(index), peerPort, out port);
        }
        return f.IsFailure ? f : events.Send(ref hc, port);
    }

    /// <summary>privcmd's foreign map of the peer's page at a scratch page, the pattern checked
    /// there, unmapped.</summary>
    private static XenFailure MapForeign<THc, TMem>(ref THc hc, ref TMem mem, ushort domid, ulong peerGfn, ulong target,
        ref XenFailure undo) where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        ulong gfn = target >> PageSize.Shift;
        XenFailure f = ForeignMemory.MapOne(ref hc, domid, peerGfn, gfn);
        if (f.IsFailure)
            return f;
        byte* page = BeginReading(ref mem, target, out bool normal);
        XenFailure check = page == null || !PeerPage.IsIntact(page, domid)
            ? XenFailure.Stub(XenFailureCause.Mismatch).WithDom(domid).WithGfn(peerGfn)
            : XenFailure.None;
        EndReading(ref mem, target, normal);
        ForeignMemory.Unmap(ref hc, gfn, ref undo);
        return check;
    }

    /// <summary>A toolstack's view of the peer's grant table: frame 0 through
    /// XENMEM_acquire_resource, the frontend's entry read there (its frame, dom0 as the grantee,
    /// access permitted), unmapped.</summary>
    private static XenFailure ReadFrontendEntry<THc, TMem>(ref THc hc, ref TMem mem, ushort domid, ushort ownDomid, ulong peerGfn,
        ulong target, ref XenFailure undo) where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        ulong gfn = target >> PageSize.Shift;
        XenFailure f = ForeignMemory.AcquireGrantTableFrame(ref hc, domid, 0, gfn);
        if (f.IsFailure)
            return f;
        var entry = (GuestStub.Xen.Abi.GrantEntryV1*)BeginReading(ref mem, target, out bool normal);
        if (entry != null)
            entry += PeerPage.FrontendRef;
        bool right = entry != null && entry->Frame == (uint)peerGfn && entry->Domid == ownDomid &&
            (entry->Flags & GuestStub.Xen.Abi.GrantEntryV1.GtfPermitAccess) != 0;
        XenFailure check = right ? XenFailure.None
            : XenFailure.Stub(XenFailureCause.Mismatch).WithIndex(PeerPage.FrontendRef).WithDom(domid);
        EndReading(ref mem, target, normal);
        ForeignMemory.Unmap(ref hc, gfn, ref undo);
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
