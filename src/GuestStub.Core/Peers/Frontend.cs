using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Peers;

/// <summary>What a domU's frontend did: each step's failure (none: it worked, or an earlier
/// step failed and it did not run).</summary>
public readonly struct FrontendResult
{
    public readonly bool Ran;
    /// <summary>The event-channel port to dom0, and whether it was a static one.</summary>
    public readonly uint Port;
    public readonly bool StaticPort;
    /// <summary>There is no dom0 to publish to (dom0less, no hardware domain): no static channel,
    /// and EVTCHNOP_alloc_unbound for dom0 refused with -ESRCH (<see cref="Publish"/> names it).
    /// Nothing was published and nothing waited for; not a failure.</summary>
    public readonly bool NoBackend;
    /// <summary>Granting the page and opening the channel.</summary>
    public readonly XenFailure Publish;
    /// <summary>dom0's notification and its reply in the page.</summary>
    public readonly XenFailure BackendReply;
    /// <summary>Ending access once dom0 has unmapped (and freeing the page).</summary>
    public readonly XenFailure EndAccess;
    /// <summary>Closing (or releasing a static) channel.</summary>
    public readonly XenFailure Close;

    public FrontendResult(uint port, bool staticPort, bool noBackend, in XenFailure publish, in XenFailure backendReply,
        in XenFailure endAccess, in XenFailure close)
    {
        Ran = true;
        Port = port;
        StaticPort = staticPort;
        NoBackend = noBackend;
        Publish = publish;
        BackendReply = backendReply;
        EndAccess = endAccess;
        Close = close;
    }

    /// <summary>The page was granted to dom0 (and the backend's steps ran).</summary>
    public bool Published => Ran && !Publish.IsFailure;

    public XenFailure FirstFailure =>
        NoBackend ? Close : Publish.IsFailure ? Publish : BackendReply.IsFailure ? BackendReply : EndAccess.IsFailure ? EndAccess : Close;
}

/// <summary>
/// A domU's side of the cross-domain proof, Linux's frontend split (grant and publish; the
/// backend maps and serves): one RAM page with <see cref="PeerPage"/>'s header and pattern,
/// granted to dom0 at <see cref="PeerPage.FrontendRef"/>; an event channel to dom0 (the static
/// one when the host's DT has it, else an unbound port for dom0, written in the page); then the
/// upcall and dom0's reply, within a bound. Access is ended only once dom0 has unmapped the page
/// (GTF_reading/GTF_writing clear), as Linux's gnttab_end_foreign_access: a page still mapped is
/// never reused. With no dom0 (a dom0less boot of domUs alone) there is nobody to publish to:
/// Xen refuses the port for dom0 with -ESRCH (evtchn_alloc_unbound, no such domain), and the
/// frontend stops there, nothing granted, nothing waited for (<see cref="FrontendResult.NoBackend"/>).
/// </summary>
public static unsafe class Frontend
{
    /// <summary>How long dom0 may take to serve this domain (it serves its peers in turn).</summary>
    public const ulong ReplyBoundMs = 60_000;

    /// <summary>How long dom0 may keep the page mapped after replying (it unmaps at once).</summary>
    public const ulong UnmapBoundMs = 10_000;

    private const ushort BackendDomid = 0;

    /// <summary>Publishes the page, waits for dom0, ends access.</summary>
    public static FrontendResult Run<TPlatform>(ref TPlatform platform, ref RamPageAllocator pages, in XenSetupResult xen)
        where TPlatform : struct, IXenPlatform
    {
        ref EventChannels events = ref platform.Events;
        XenFailure publish, backendReply = default, endAccess = default, close = default;
        uint port = 0;
        bool staticPort = false, noBackend = false;
        GrantTable table = xen.Grants.Table;
        GrantEntryV1* entry = table.EntryCount > PeerPage.FrontendRef ? table.Entry(ref platform, PeerPage.FrontendRef) : null;
        // The page's header names this domain to dom0: without its own id there is nothing true to write.
        if (entry == null || !events.IsAttached || !xen.Identity.HasDomid)
        {
            publish = XenFailure.Stub(entry == null ? XenFailureCause.TooFewEntries
                : !events.IsAttached ? XenFailureCause.NoUpcall : XenFailureCause.NoDomainId);
        }
        else if (!pages.TryAllocate(1, out ulong gfn))
        {
            publish = XenFailure.Stub(XenFailureCause.OutOfPages);
        }
        else
        {
            byte* page = platform.Page(gfn);
            // The channel: the static one to dom0 if the host's DT made one, else a port for dom0.
            var found = new PeerList();
            publish = PeerDiscovery.ScanStatic(ref platform, events, xen.Identity.Domid, BackendDomid, ref found);
            staticPort = found.Count > 0;
            port = found.StaticPort(0);
            if (!publish.IsFailure)
                publish = staticPort
                    ? events.Adopt(ref platform, ref platform, port)
                    : events.AllocateUnbound(ref platform, ref platform, BackendDomid, out port);
            noBackend = !staticPort && publish.Call == XenCall.EvtchnAllocUnbound && publish.Cause == XenFailureCause.Errno &&
                publish.Value == -(int)XenErrno.ESRCH;
            if (!publish.IsFailure && (page == null || gfn > uint.MaxValue))
                publish = XenFailure.Stub(page == null ? XenFailureCause.Unreachable : XenFailureCause.FrameTooWide).WithGfn(gfn);
            if (publish.IsFailure)
                pages.Free(gfn, 1);
            else
                Serve(ref platform, ref pages, entry, page, gfn, xen.Identity.Domid, port, out backendReply, out endAccess);
            close = events.CloseOrRelease(ref platform, ref platform, port, staticPort);
        }
        return new FrontendResult(port, staticPort, noBackend, publish, backendReply, endAccess, close);
    }

    /// <summary>The page published through <paramref name="entry"/>, dom0's reply waited for,
    /// access ended once dom0 has unmapped (and the page freed then, never before).</summary>
    private static void Serve<TPlatform>(ref TPlatform platform, ref RamPageAllocator pages, GrantEntryV1* entry, byte* page, ulong gfn,
        ushort ownDomid, uint port, out XenFailure backendReply, out XenFailure endAccess) where TPlatform : struct, IXenPlatform
    {
        ref EventChannels events = ref platform.Events;
        backendReply = endAccess = XenFailure.None;
        // Header and pattern first; the grant's flags last, after a barrier (Linux gnttab_update_entry_v1).
        PeerPage.Write(page, ownDomid, port, gfn);
        platform.WriteBarrier();
        // Dom0's notification is an event after this point (a static channel's bind-time event
        // was dropped when it was adopted, EventChannels.Adopt).
        ulong before = events.Arrivals(port);
        GrantTable.GrantAccess(ref platform, entry, BackendDomid, (uint)gfn, readOnly: false);

        Deadline deadline = Deadline.After(ref platform, ReplyBoundMs);
        while (!(events.Arrivals(port) > before && PeerPage.HasReply(page)) && !deadline.Expired(ref platform))
            platform.Idle();
        if (!PeerPage.HasReply(page) || events.Arrivals(port) == before)
            backendReply = XenFailure.Timeout(ReplyBoundMs).WithPort(port).WithDom(BackendDomid);

        // Never end access while dom0 maps the page; a page that stays mapped is never freed.
        deadline = Deadline.After(ref platform, UnmapBoundMs);
        bool ended;
        while (!(ended = GrantTable.EndAccess(ref platform, entry)) && !deadline.Expired(ref platform))
            platform.Idle();
        if (ended)
            pages.Free(gfn, 1);
        else
            endAccess = XenFailure.Timeout(UnmapBoundMs).WithIndex(PeerPage.FrontendRef).WithGfn(gfn);
    }
}
