using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Peers;

/// <summary>What a domU's frontend did.</summary>
public readonly struct FrontendResult
{
    public readonly bool Ran;
    /// <summary>The event-channel port to dom0, and whether it was a static one.</summary>
    public readonly uint Port;
    public readonly bool StaticPort;
    /// <summary>Granting the page and opening the channel.</summary>
    public readonly XenFailure Publish;
    /// <summary>dom0's notification and its reply in the page.</summary>
    public readonly XenFailure BackendReply;
    /// <summary>Ending access once dom0 has unmapped (and freeing the page).</summary>
    public readonly XenFailure EndAccess;
    /// <summary>Closing (or releasing a static) channel.</summary>
    public readonly XenFailure Close;

    public FrontendResult(uint port, bool staticPort, XenFailure publish, XenFailure backendReply, XenFailure endAccess, XenFailure close)
    {
        Ran = true;
        Port = port;
        StaticPort = staticPort;
        Publish = publish;
        BackendReply = backendReply;
        EndAccess = endAccess;
        Close = close;
    }

    public XenFailure FirstFailure => Publish.Or(BackendReply).Or(EndAccess).Or(Close);
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

    /// <summary>How long dom0 may keep the page mapped after replying.</summary>
    public const ulong UnmapBoundMs = 30_000;

    private const ushort BackendDomid = 0;

    public static FrontendResult Run<THc, TMem, TIrq, TClock>(ref THc hc, ref TMem mem, ref TIrq irq, ref TClock clock,
        ref EventChannels events, ref RamPageAllocator pages, in XenSetupResult xen)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory where TIrq : struct, IInterruptController
        where TClock : struct, ITickSource
    {
        GrantTable table = xen.Grants.Table;
        GrantEntryV1* entry = table.EntryCount > PeerPage.FrontendRef ? table.Entry(ref mem, PeerPage.FrontendRef) : null;
        if (entry == null || !events.IsAttached)
            return new FrontendResult(0, false, XenFailure.Stub(entry == null ? XenFailureCause.TooFewEntries : XenFailureCause.NoUpcall),
                default, default, default);
        if (!pages.TryAllocate(1, out ulong gfn))
            return new FrontendResult(0, false, XenFailure.Stub(XenFailureCause.OutOfPages), default, default, default);
        byte* page = mem.Page(gfn);

        // The channel: the static one to dom0 if the host's DT made one, else a port for dom0.
        var found = new PeerList();
        PeerDiscovery.ScanStatic(ref hc, events, xen.Identity.Domid, BackendDomid, ref found);
        bool isStatic = found.Count > 0;
        uint port = found.StaticPort(0);
        XenFailure publish = isStatic ? events.Adopt(ref hc, ref mem, port) : events.AllocateUnbound(ref hc, ref mem, BackendDomid, out port);
        if (publish.IsFailure || page == null || gfn > uint.MaxValue)
        {
            pages.Free(gfn, 1);
            if (!publish.IsFailure)
                publish = XenFailure.Stub(page == null ? XenFailureCause.Unreachable : XenFailureCause.FrameTooWide).WithGfn(gfn);
            return new FrontendResult(port, isStatic, publish, default, default, CloseChannel(ref hc, ref mem, ref events, port, isStatic));
        }

        // Header and pattern first; the grant's flags last, after a barrier (Linux gnttab_update_entry_v1).
        PeerPage.Write(page, xen.Identity.Domid, port, gfn);
        mem.WriteBarrier();
        GrantTable.GrantAccess(ref mem, entry, BackendDomid, (uint)gfn, readOnly: false);

        XenFailure reply = XenFailure.None;
        Deadline deadline = Deadline.After(ref clock, ReplyBoundMs);
        while (!(events.Arrivals(port) > 0 && PeerPage.HasReply(page)) && !deadline.Expired(ref clock))
            irq.Idle();
        if (!PeerPage.HasReply(page) || events.Arrivals(port) == 0)
            reply = XenFailure.Timeout(ReplyBoundMs).WithPort(port).WithDom(BackendDomid);

        // Never end access while dom0 maps the page; a page that stays mapped is never freed.
        XenFailure end = XenFailure.None;
        deadline = Deadline.After(ref clock, UnmapBoundMs);
        bool ended;
        while (!(ended = GrantTable.EndAccess(entry)) && !deadline.Expired(ref clock))
            irq.Idle();
        if (ended)
            pages.Free(gfn, 1);
        else
            end = XenFailure.Timeout(UnmapBoundMs).WithIndex(PeerPage.FrontendRef).WithGfn(gfn);

        return new FrontendResult(port, isStatic, XenFailure.None, reply, end, CloseChannel(ref hc, ref mem, ref events, port, isStatic));
    }

    private static XenFailure CloseChannel<THc, TMem>(ref THc hc, ref TMem mem, ref EventChannels events, uint port, bool isStatic)
        where THc : struct, IXenHypercalls where TMem : struct, IGuestMemory
    {
        if (port == 0)
            return XenFailure.None;
        if (!isStatic)
            return events.Close(ref hc, ref mem, port);
        events.Release(ref mem, port);
        return XenFailure.None;
    }
}
