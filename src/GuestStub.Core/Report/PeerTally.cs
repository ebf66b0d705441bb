using GuestStub.Peers;
using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Report;

/// <summary>
/// One of dom0's per-peer steps over every peer served, for its one check: the worst verdict,
/// the first peer that had it and why, and how many others did not succeed (XTF: the worst
/// wins). A step that did not run for a peer (its grant never mapped) is a SKIP for that peer.
/// </summary>
public struct StepTally
{
    private bool _any;
    private Verdict _worst;
    private bool _worstNotRun;
    private ushort _peer;
    private XenFailure _failure;
    private int _notSucceeded;

    public void Add(ushort peer, bool ran, in XenFailure failure)
    {
        Verdict verdict = !ran ? Verdict.Skip : failure.IsFailure ? Blame.Of(failure) : Verdict.Success;
        if (verdict != Verdict.Success)
            _notSucceeded++;
        if (!_any || verdict > _worst)
        {
            _worst = verdict;
            _worstNotRun = !ran;
            _peer = peer;
            _failure = failure;
        }
        _any = true;
    }

    /// <summary>The check's line: SKIP when no peer was served.</summary>
    public readonly void Write<TSink>(ref TSink sink, ref CheckVerdicts checks, Check check) where TSink : struct, ITextSink
    {
        if (!_any)
            checks.Write(ref sink, check, Verdict.Skip, Reason.NoOtherDomain);
        else if (_worst == Verdict.Success)
            checks.Write(ref sink, check, Verdict.Success);
        else if (_worstNotRun)
            checks.Peer(ref sink, check, _worst, Reason.NotRunGrantDidNotMap, XenFailure.None, _peer, _notSucceeded - 1);
        else
            checks.Peer(ref sink, check, _worst, Reason.None, _failure, _peer, _notSucceeded - 1);
    }
}

/// <summary>Dom0's steps for its peers (<see cref="PeerResult"/>), tallied as each peer is served,
/// and the error paths that need a peer, from the peer that ran them.</summary>
public struct PeerTally
{
    public StepTally GrantMap;
    public StepTally GrantMapReadOnly;
    public StepTally Evtchn;
    public StepTally ForeignMap;
    public StepTally AcquireGrantTable;
    public StepTally Unmap;
    public ErrorPathResult BatchWithBadFrame;
    public ErrorPathResult UngrantedRef;
    public int Peers;

    public void Add(in PeerResult peer)
    {
        Peers++;
        bool mapped = !peer.GrantMap.IsFailure;
        GrantMap.Add(peer.Domid, true, peer.GrantMap);
        GrantMapReadOnly.Add(peer.Domid, mapped, peer.GrantMapReadOnly);
        Evtchn.Add(peer.Domid, mapped, peer.Evtchn);
        ForeignMap.Add(peer.Domid, mapped, peer.ForeignMap);
        AcquireGrantTable.Add(peer.Domid, mapped, peer.AcquireGrantTable);
        Unmap.Add(peer.Domid, mapped || peer.Teardown.IsFailure, peer.Teardown);
        if (peer.BatchWithBadFrame.Ran && !BatchWithBadFrame.Ran)
            BatchWithBadFrame = peer.BatchWithBadFrame;
        if (peer.UngrantedRef.Ran && !UngrantedRef.Ran)
            UngrantedRef = peer.UngrantedRef;
    }
}
