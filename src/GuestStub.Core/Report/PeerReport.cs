using System;
using GuestStub.Peers;
using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Report;

/// <summary>
/// The cross-domain stage, for people and scripts. Dom0: peers.found, errpath.foreign-self,
/// then per peer peer.DOMID.grant-map, .grant-map-ro, .evtchn, .foreign-map,
/// .acquire-grant-table (and on the first peer whose grant mapped and read intact
/// errpath.batch-bad-frame, errpath.ungranted-ref); the checks peers.discovery and
/// errpath.foreign-self once the peers are found, the per-peer checks (each over every peer,
/// <see cref="PeerTally"/>) and the other two error paths once every peer is served.
/// A domU: frontend.channel, frontend.publish (when it did not publish), frontend.backend-reply,
/// frontend.end-access, and the checks frontend.*; with no dom0 each is skipped and says so. An error path's value is
/// "ok (REFUSAL)" when Xen refused, as it must, naming the refusal ("ok (-ESRCH)"); the line for
/// people names what Xen answered in full.
/// </summary>
public static class PeerReport
{
    /// <summary>The lines, then peers.discovery (static channels scanned, the domains asked,
    /// nothing refused) and errpath.foreign-self.</summary>
    public static void PeersFound<TSink>(ref TSink sink, ref CheckVerdicts checks, in PeerList peers, in DiscoveryResult found)
        where TSink : struct, ITextSink
    {
        PeersFound(ref sink, peers, found);
        checks.Outcome(ref sink, Check.PeersDiscovery, found.Failure);
        ErrorPathVerdict(ref sink, ref checks, Check.ErrpathForeignSelf, found.ForeignMapOfSelf, found.ForeignMapOfSelfUndo, 1);
    }

    /// <summary>Dom0's checks over every peer served, and the error paths that needed one.</summary>
    public static void BackendDone<TSink>(ref TSink sink, ref CheckVerdicts checks, in PeerTally tally) where TSink : struct, ITextSink
    {
        tally.GrantMap.Write(ref sink, ref checks, Check.PeersGrantMap);
        tally.GrantMapReadOnly.Write(ref sink, ref checks, Check.PeersGrantMapReadOnly);
        tally.Evtchn.Write(ref sink, ref checks, Check.PeersEvtchn);
        tally.ForeignMap.Write(ref sink, ref checks, Check.PeersForeignMap);
        tally.AcquireGrantTable.Write(ref sink, ref checks, Check.PeersAcquireGrantTable);
        tally.Unmap.Write(ref sink, ref checks, Check.PeersUnmap);
        ErrorPathVerdict(ref sink, ref checks, Check.ErrpathBatchBadFrame, tally.BatchWithBadFrame, default, tally.Peers);
        ErrorPathVerdict(ref sink, ref checks, Check.ErrpathUngrantedRef, tally.UngrantedRef, default, tally.Peers);
    }

    /// <summary>An error path's check: SUCCESS when Xen refused as a supported release refuses
    /// (and the probe was undone), FAILURE when it accepted or refused otherwise. Not run: with
    /// no peer to run it on, SKIP; for want of the stub's own page (<paramref name="peers"/> 1, the
    /// foreign map of itself), ERROR.</summary>
    private static void ErrorPathVerdict<TSink>(ref TSink sink, ref CheckVerdicts checks, Check check, in ErrorPathResult result,
        in XenFailure undo, int peers) where TSink : struct, ITextSink
    {
        if (!result.Ran && check == Check.ErrpathForeignSelf)
            checks.Write(ref sink, check, Verdict.Error, Reason.NotRunNoFreePage);
        else if (!result.Ran)
            checks.Write(ref sink, check, Verdict.Skip, peers == 0 ? Reason.NoOtherDomain : Reason.NoPeerGrantIntact);
        else if (!result.Refused)
            checks.Write(ref sink, check, Verdict.Failure, result.Answer.IsFailure ? Reason.NotTheRefusal : Reason.NotRefused, result.Answer);
        else if (undo.IsFailure)
            checks.Write(ref sink, check, Blame.Of(undo), Reason.UndoingIt, undo);
        else
            checks.Write(ref sink, check, Verdict.Success);
    }

    public static void PeersFound<TSink>(ref TSink sink, in PeerList peers, in DiscoveryResult found) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: peers: "u8);
        TextFormat.Decimal(ref sink, (ulong)peers.Count);
        sink.Write(" found"u8);
        for (int i = 0; i < peers.Count; i++)
        {
            sink.Write(i == 0 ? ": domain "u8 : ", domain "u8);
            TextFormat.Decimal(ref sink, peers.Domid(i));
            if (peers.Kind(i) == PeerDiscoveryKind.StaticEventChannel)
            {
                sink.Write(" (static event channel, port "u8);
                TextFormat.Decimal(ref sink, peers.StaticPort(i));
                sink.Write(")"u8);
            }
            else
            {
                sink.Write(" (probe)"u8);
            }
        }
        if (found.Failure.IsFailure)
        {
            sink.Write("; discovery failed: "u8);
            found.Failure.Write(ref sink);
        }
        sink.Write("\n"u8);
        ReportLine.Decimal(ref sink, "peers.found"u8, (ulong)peers.Count);
        ErrorPath(ref sink, "errpath.foreign-self"u8, "a foreign map of dom0's own RAM"u8, found.ForeignMapOfSelf);
        if (found.ForeignMapOfSelfUndo.IsFailure)
            ReportLine.Outcome(ref sink, "errpath.foreign-self.undo"u8, found.ForeignMapOfSelfUndo);
    }

    public static void PeerServed<TSink>(ref TSink sink, in PeerResult peer) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: peer "u8);
        TextFormat.Decimal(ref sink, peer.Domid);
        sink.Write(": "u8);
        XenFailure first = peer.FirstFailure;
        if (first.IsFailure)
        {
            first.Write(ref sink);
        }
        else
        {
            sink.Write("page mapped read-write and read-only, reply sent on port "u8);
            TextFormat.Decimal(ref sink, peer.Port);
            sink.Write(", foreign map and grant table read, all unmapped"u8);
        }
        sink.Write("\n"u8);
        Step(ref sink, peer.Domid, ".grant-map"u8, peer.GrantMap, true);
        bool mapped = !peer.GrantMap.IsFailure;
        Step(ref sink, peer.Domid, ".grant-map-ro"u8, peer.GrantMapReadOnly, mapped);
        Step(ref sink, peer.Domid, ".evtchn"u8, peer.Evtchn, mapped);
        Step(ref sink, peer.Domid, ".foreign-map"u8, peer.ForeignMap, mapped);
        Step(ref sink, peer.Domid, ".acquire-grant-table"u8, peer.AcquireGrantTable, mapped);
        if (peer.Teardown.IsFailure)
            Step(ref sink, peer.Domid, ".teardown"u8, peer.Teardown, true);
        ErrorPath(ref sink, "errpath.batch-bad-frame"u8, "a foreign batch with one bad frame"u8, peer.BatchWithBadFrame);
        ErrorPath(ref sink, "errpath.ungranted-ref"u8, "a map of a ref never granted"u8, peer.UngrantedRef);
    }

    /// <summary>A domU's lines, then frontend.publish (a channel to dom0 and the page granted at
    /// ref 9), frontend.backend-reply (dom0's reply and its event within the bound) and
    /// frontend.end-access (dom0 unmapped, access ended, the channel closed). With no dom0 to
    /// publish to, each is a SKIP that says so; after a publish that failed, the other two did not run.</summary>
    public static void FrontendDone<TSink>(ref TSink sink, ref CheckVerdicts checks, in FrontendResult frontend) where TSink : struct, ITextSink
    {
        FrontendDone(ref sink, frontend);
        if (frontend.NoBackend)
        {
            checks.Write(ref sink, Check.FrontendPublish, Verdict.Skip, Reason.NoDom0ToPublishTo, frontend.Publish);
            checks.Write(ref sink, Check.FrontendBackendReply, Verdict.Skip, Reason.NoDom0);
            checks.Write(ref sink, Check.FrontendEndAccess, Verdict.Skip, Reason.NoDom0);
            return;
        }
        if (!frontend.Published)
        {
            if (frontend.Publish.Cause == XenFailureCause.NoDomainId)
                checks.Write(ref sink, Check.FrontendPublish, Verdict.Skip, Reason.NotRunOwnDomidUnknown);
            else
                checks.Outcome(ref sink, Check.FrontendPublish, frontend.Publish);
            checks.Write(ref sink, Check.FrontendBackendReply, Verdict.Skip, Reason.NotRunNothingPublished);
            checks.Write(ref sink, Check.FrontendEndAccess, Verdict.Skip, Reason.NotRunNothingPublished);
            return;
        }
        checks.Write(ref sink, Check.FrontendPublish, Verdict.Success);
        checks.Outcome(ref sink, Check.FrontendBackendReply, frontend.BackendReply);
        if (!frontend.EndAccess.IsFailure && frontend.Close.IsFailure)
            checks.Write(ref sink, Check.FrontendEndAccess, Blame.Of(frontend.Close), Reason.ClosingTheChannel, frontend.Close);
        else
            checks.Outcome(ref sink, Check.FrontendEndAccess, frontend.EndAccess);
    }

    public static void FrontendDone<TSink>(ref TSink sink, in FrontendResult frontend) where TSink : struct, ITextSink
    {
        if (frontend.NoBackend)
        {
            sink.Write("GuestStub: frontend: no dom0 to publish to ("u8);
            frontend.Publish.Write(ref sink);
            sink.Write("): nothing granted, nothing waited for\n"u8);
        }
        else if (!frontend.Published)
        {
            sink.Write("GuestStub: frontend: nothing published: "u8);
            frontend.Publish.Write(ref sink);
            sink.Write("\n"u8);
        }
        else
        {
            sink.Write("GuestStub: frontend: page granted to dom0 at ref "u8);
            TextFormat.Decimal(ref sink, PeerPage.FrontendRef);
            sink.Write(frontend.StaticPort ? ", static event channel port "u8 : ", event channel port "u8);
            TextFormat.Decimal(ref sink, frontend.Port);
            sink.Write(": "u8);
            ReportLine.Result(ref sink, frontend.FirstFailure);
            sink.Write("\n"u8);
        }
        ReportLine.Write(ref sink, "frontend.channel"u8, frontend.Port == 0 ? "none"u8 : frontend.StaticPort ? "static"u8 : "allocated"u8);
        if (frontend.NoBackend)
        {
            ReportLine.Begin(ref sink, "frontend.publish"u8);
            sink.Write("skipped (no dom0: "u8);
            frontend.Publish.Write(ref sink);
            sink.Write(")\n"u8);
        }
        else if (frontend.Publish.IsFailure)
        {
            ReportLine.Outcome(ref sink, "frontend.publish"u8, frontend.Publish);
        }
        ReadOnlySpan<byte> skipped = frontend.NoBackend ? "skipped (no dom0)"u8 : "skipped (nothing published)"u8;
        if (frontend.Published)
        {
            ReportLine.Outcome(ref sink, "frontend.backend-reply"u8, frontend.BackendReply);
            ReportLine.Outcome(ref sink, "frontend.end-access"u8, frontend.EndAccess);
        }
        else
        {
            ReportLine.Write(ref sink, "frontend.backend-reply"u8, skipped);
            ReportLine.Write(ref sink, "frontend.end-access"u8, skipped);
        }
        if (frontend.Close.IsFailure)
            ReportLine.Outcome(ref sink, "frontend.close"u8, frontend.Close);
    }

    /// <summary>"report peer.DOMID.STEP ok|failure|skipped".</summary>
    private static void Step<TSink>(ref TSink sink, ushort domid, ReadOnlySpan<byte> step, in XenFailure failure, bool ran)
        where TSink : struct, ITextSink
    {
        sink.Write("report peer."u8);
        TextFormat.Decimal(ref sink, domid);
        sink.Write(step);
        sink.Write(" "u8);
        if (ran)
            ReportLine.Result(ref sink, failure);
        else
            sink.Write("skipped"u8);
        sink.Write("\n"u8);
    }

    private static void ErrorPath<TSink>(ref TSink sink, ReadOnlySpan<byte> key, ReadOnlySpan<byte> what, in ErrorPathResult result)
        where TSink : struct, ITextSink
    {
        if (!result.Ran)
            return;
        sink.Write("GuestStub: error path: "u8);
        sink.Write(what);
        sink.Write(result.Refused ? ": refused as it must be: "u8 : ": NOT refused as it must be: "u8);
        ReportLine.Result(ref sink, result.Answer);
        sink.Write("\n"u8);
        ReportLine.Begin(ref sink, key);
        if (result.Refused)
        {
            sink.Write("ok ("u8);
            result.Answer.WriteRefusal(ref sink);
            sink.Write(")"u8);
        }
        else
            ReportLine.Result(ref sink, ErrorPaths.Failure(result));
        sink.Write("\n"u8);
    }
}
