using System;
using GuestStub.Peers;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Report;

/// <summary>
/// The cross-domain stage, for people and scripts. Dom0: peers.found, errpath.foreign-self,
/// then per peer peer.DOMID.grant-map, .grant-map-ro, .evtchn, .foreign-map,
/// .acquire-grant-table (and on the first peer whose grant mapped and read intact
/// errpath.batch-bad-frame, errpath.ungranted-ref).
/// A domU: frontend.channel, frontend.backend-reply, frontend.end-access. An error path's value is
/// "ok (REFUSAL)" when Xen refused, as it must, naming the refusal ("ok (-ESRCH)"); the line for
/// people names what Xen answered in full.
/// </summary>
public static class PeerReport
{
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

    public static void FrontendDone<TSink>(ref TSink sink, in FrontendResult frontend) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: frontend: page granted to dom0 at ref "u8);
        TextFormat.Decimal(ref sink, PeerPage.FrontendRef);
        sink.Write(frontend.StaticPort ? ", static event channel port "u8 : ", event channel port "u8);
        TextFormat.Decimal(ref sink, frontend.Port);
        sink.Write(": "u8);
        ReportLine.Result(ref sink, frontend.FirstFailure);
        sink.Write("\n"u8);
        ReportLine.Write(ref sink, "frontend.channel"u8, frontend.StaticPort ? "static"u8 : "allocated"u8);
        if (frontend.Publish.IsFailure)
            ReportLine.Outcome(ref sink, "frontend.publish"u8, frontend.Publish);
        ReportLine.Outcome(ref sink, "frontend.backend-reply"u8, frontend.BackendReply);
        ReportLine.Outcome(ref sink, "frontend.end-access"u8, frontend.EndAccess);
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
