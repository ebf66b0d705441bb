using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Peers;

/// <summary>What a domU's frontend did: each step's failure (none: it worked, or an earlier
/// step failed and it did not run).</summary>
public struct FrontendResult
{
    public bool Ran;
    /// <summary>The event-channel port to dom0, and whether it was a static one.</summary>
    public uint Port;
    public bool StaticPort;
    /// <summary>Granting the page and opening the channel.</summary>
    public XenFailure Publish;
    /// <summary>dom0's notification and its reply in the page.</summary>
    public XenFailure BackendReply;
    /// <summary>Ending access once dom0 has unmapped (and freeing the page).</summary>
    public XenFailure EndAccess;
    /// <summary>Closing (or releasing a static) channel.</summary>
    public XenFailure Close;

    public readonly XenFailure FirstFailure =>
        Publish.IsFailure ? Publish : BackendReply.IsFailure ? BackendReply : EndAccess.IsFailure ? EndAccess : Close;
}

/// <summary>
/// A domU's side of the cross-domain proof, Linux's frontend split (grant and publish; the
/// backend maps and serves): one RAM page with <see cref="PeerPage"/>'s header and pattern,
/// granted to dom0 at <see cref="PeerPage.FrontendRef"/>; an event channel to dom0 (the static
/// one when the host's DT has it, else an unbound port for dom0, written in the page); then the
/// upcall and dom0's reply, within a bound. Access is ended only once dom0 has unmapped the page
/// (GTF_reading/GTF_writing clear), as Linux's gnttab_end_foreign_access: a page still mapped is
/// never reused.
/// </summary>
public static unsafe class Frontend
{
    /// <summary>How long dom0 may take to serve this domain (it serves its peers in turn).</summary>
    public const ulong ReplyBoundMs = 60_000;

    /// <summary>How long dom0 may keep the page mapped after replying (it unmaps at once).</summary>
    public const ulong UnmapBoundMs = 10_000;

    private const ushort BackendDomid = 0;

    /// <summary>Publishes the page, waits for dom0, ends access: fills <paramref name="result"/>
    /// (a fresh one).</summary>
    public static void Run<THc, TMem, TIrq, TClock>(ref THc hc, ref TMem mem, ref TIrq irq, ref TClock clock,
        ref EventChannels events, ref RamPageAllocator pages, in XenSetupResult xen, ref FrontendResult result)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory where TIrq : struct, IInterruptController
        where TClock : struct, ITickSource
    {
        result.Ran = true;
        GrantTable table = xen.Grants.Table;
        GrantEntryV1* entry = table.EntryCount > PeerPage.FrontendRef ? table.Entry(ref mem, PeerPage.FrontendRef) : null;
        // The page's header names this domain to dom0: without its own id there is nothing true to write.
        if (entry == null || !events.IsAttached || !xen.Identity.HasDomid)
        {
            result.Publish = XenFailure.Stub(entry == null ? XenFailureCause.TooFewEntries
                : !events.IsAttached ? XenFailureCause.NoUpcall : XenFailureCause.NoDomainId);
            return;
        }
        if (!pages.TryAllocate(1, out ulong gfn))
        {
            result.Publish = XenFailure.Stub(XenFailureCause.OutOfPages);
            return;
        }
        byte* page = mem.Page(gfn);

        // The channel: the static one to dom0 if the host's DT made one, else a port for dom0.
        var found = new PeerList();
        result.Publish = PeerDiscovery.ScanStatic(ref hc, events, xen.Identity.Domid, BackendDomid, ref found);
        result.StaticPort = found.Count > 0;
        result.Port = found.StaticPort(0);
        if (!result.Publish.IsFailure)
            result.Publish = result.StaticPort
                ? events.Adopt(ref hc, ref mem, result.Port)
                : events.AllocateUnbound(ref hc, ref mem, BackendDomid, out result.Port);
        if (!result.Publish.IsFailure && (page == null || gfn > uint.MaxValue))
            result.Publish = XenFailure.Stub(page == null ? XenFailureCause.Unreachable : XenFailureCause.FrameTooWide).WithGfn(gfn);
        if (result.Publish.IsFailure)
        {
            pages.Free(gfn, 1);
            result.Close = events.CloseOrRelease(ref hc, ref mem, result.Port, result.StaticPort);
            return;
        }
        uint port = result.Port;

        // Header and pattern first; the grant's flags last, after a barrier (Linux gnttab_update_entry_v1).
        PeerPage.Write(page, xen.Identity.Domid, port, gfn);
        mem.WriteBarrier();
        // Dom0's notification is an event after this point (a static channel's bind-time event
        // was dropped when it was adopted, EventChannels.Adopt).
        ulong before = events.Arrivals(port);
        GrantTable.GrantAccess(ref mem, entry, BackendDomid, (uint)gfn, readOnly: false);

        Deadline deadline = Deadline.After(ref clock, ReplyBoundMs);
        while (!(events.Arrivals(port) > before && PeerPage.HasReply(page)) && !deadline.Expired(ref clock))
            irq.Idle();
        if (!PeerPage.HasReply(page) || events.Arrivals(port) == before)
            result.BackendReply = XenFailure.Timeout(ReplyBoundMs).WithPort(port).WithDom(BackendDomid);

        // Never end access while dom0 maps the page; a page that stays mapped is never freed.
        deadline = Deadline.After(ref clock, UnmapBoundMs);
        bool ended;
        while (!(ended = GrantTable.EndAccess(ref mem, entry)) && !deadline.Expired(ref clock))
            irq.Idle();
        if (ended)
            pages.Free(gfn, 1);
        else
            result.EndAccess = XenFailure.Timeout(UnmapBoundMs).WithIndex(PeerPage.FrontendRef).WithGfn(gfn);

        result.Close = events.CloseOrRelease(ref hc, ref mem, port, result.StaticPort);
    }
}
