using System;
using System.Runtime.CompilerServices;
using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Report;

/// <summary>
/// The verdict lines of a boot and its closing line, as XTF ends a test: one
/// <c>report check.NAME VERDICT [reason]</c> per selected check that applies to the domain (a
/// check of another role, or not selected, prints nothing), each at most once per run of the
/// pipeline, then <c>Test result: VERDICT</c>, the worst of them in XTF's order (no check at
/// all: ERROR, as XTF says "Test did not report a status"). Until the stub knows whether it is
/// dom0 or a domU, only the checks every domain runs apply.
/// </summary>
public struct CheckVerdicts
{
    private readonly CheckSelection _selection;
    private CheckRoles _role;
    private ulong _written;
    private Verdict _worst;
    private int _count;

    public CheckVerdicts(in CheckSelection selection)
    {
        _selection = selection;
        _role = 0;
        _written = 0;
        _worst = Verdict.Success;
        _count = 0;
    }

    /// <summary>Verdicts written so far.</summary>
    public readonly int Count => _count;

    /// <summary>The worst so far (meaningless while <see cref="Count"/> is 0).</summary>
    public readonly Verdict Worst => _worst;

    /// <summary>A run of the pipeline begins: every check may be written again.</summary>
    public void StartRun()
    {
        _written = 0;
        _role = 0;
    }

    /// <summary>The stub knows its role (dom0 or a domU) from Xen.</summary>
    public void KnowRole(CheckRoles role) => _role = role;

    /// <summary>Selected, applies to this domain, and not yet written this run.</summary>
    public readonly bool Wants(Check check) =>
        _selection.Includes(check) && (_written & (1UL << (int)check)) == 0 &&
        (_role == 0 ? CheckCatalogue.RolesOf(check) == CheckRoles.Any : (CheckCatalogue.RolesOf(check) & _role) != 0);

    /// <summary>The check's line, when <see cref="Wants"/> it: its verdict, then the reason (SKIP,
    /// ERROR and FAILURE always carry one): a phrase, and the failure naming the call and errno.</summary>
    public void Write<TSink>(ref TSink sink, Check check, Verdict verdict, Reason reason = Reason.None) where TSink : struct, ITextSink =>
        Line(ref sink, check, verdict, reason, default, XenFailure.None, 0, 0);

    public void Write<TSink>(ref TSink sink, Check check, Verdict verdict, Reason reason, in XenFailure failure) where TSink : struct, ITextSink =>
        Line(ref sink, check, verdict, reason, default, failure, 0, 0);

    /// <summary>With a status's report token after the phrase ("no target resource: overlap").</summary>
    public void Write<TSink>(ref TSink sink, Check check, Verdict verdict, Reason reason, ReadOnlySpan<byte> token) where TSink : struct, ITextSink =>
        Line(ref sink, check, verdict, reason, token, XenFailure.None, 0, 0);

    /// <summary>For a check over dom0's peers: "peer N: ..." and how many more did not succeed.</summary>
    public void Peer<TSink>(ref TSink sink, Check check, Verdict verdict, Reason reason, in XenFailure failure, ushort peer, int morePeers)
        where TSink : struct, ITextSink =>
        Line(ref sink, check, verdict, reason, default, failure, peer + 1, morePeers);

    /// <summary>SUCCESS when <paramref name="failure"/> is none, else the failure's verdict (<see cref="Blame"/>) naming it.</summary>
    public void Outcome<TSink>(ref TSink sink, Check check, in XenFailure failure) where TSink : struct, ITextSink =>
        Line(ref sink, check, failure.IsFailure ? Blame.Of(failure) : Verdict.Success, Reason.None, default, failure, 0, 0);

    /// <summary>For a reason the other forms cannot hold: when <see cref="Wants"/> the check,
    /// writes "report check.NAME VERDICT" and returns true; the caller writes " REASON" and the
    /// newline.</summary>
    public bool Begin<TSink>(ref TSink sink, Check check, Verdict verdict) where TSink : struct, ITextSink
    {
        if (!Wants(check))
            return false;
        _written |= 1UL << (int)check;
        sink.Write("report check."u8);
        sink.Write(CheckCatalogue.Name(check));
        sink.Write(" "u8);
        sink.Write(VerdictText.Name(verdict));
        Tally(verdict);
        return true;
    }

    /// <summary>Marks <paramref name="check"/> as written without a line: it does not belong to
    /// this run (the cross-domain stage runs in a boot's first run only).</summary>
    public void Omit(Check check) => _written |= 1UL << (int)check;

    /// <summary>SKIP, with <paramref name="reason"/>, for every check of this run still unwritten:
    /// the stages that would have judged them did not run. Dom0's wait for the other domains
    /// comes after the runs, and is judged then.</summary>
    public void SkipTheRest<TSink>(ref TSink sink, Reason reason) where TSink : struct, ITextSink
    {
        for (int i = 0; i < CheckCatalogue.Count; i++)
            if ((Check)i != Check.DomainsWait)
                Write(ref sink, (Check)i, Verdict.Skip, reason);
    }

    /// <summary>"report check.NAME VERDICT[ peer N:][ PHRASE[ TOKEN]][: FAILURE][ (and N more peers)]".</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Line<TSink>(ref TSink sink, Check check, Verdict verdict, Reason reason, ReadOnlySpan<byte> token, in XenFailure failure,
        int peerPlusOne, int morePeers) where TSink : struct, ITextSink
    {
        if (!Begin(ref sink, check, verdict))
            return;
        if (peerPlusOne != 0)
        {
            sink.Write(" peer "u8);
            TextFormat.Decimal(ref sink, (ulong)(peerPlusOne - 1));
            sink.Write(":"u8);
        }
        if (reason != Reason.None)
        {
            sink.Write(" "u8);
            sink.Write(ReasonText.Phrase(reason));
        }
        if (!token.IsEmpty)
        {
            sink.Write(" "u8);
            sink.Write(token);
        }
        if (failure.IsFailure)
        {
            sink.Write(reason != Reason.None ? ": "u8 : " "u8);
            failure.Write(ref sink);
        }
        if (morePeers > 0)
        {
            sink.Write(" (and "u8);
            TextFormat.Decimal(ref sink, (ulong)morePeers);
            sink.Write(morePeers == 1 ? " more peer)"u8 : " more peers)"u8);
        }
        sink.Write("\n"u8);
    }

    /// <summary><c>report check.checks.selection ERROR ...</c> naming each word of
    /// <c>gueststub.checks=</c> that names no check or category (or that it selects none).</summary>
    public void SelectionErrors<TSink>(ref TSink sink, ReadOnlySpan<byte> argument) where TSink : struct, ITextSink
    {
        ReportLine.Begin(ref sink, "check.checks.selection"u8);
        sink.Write(VerdictText.Name(Verdict.Error));
        int position = 0, unknown = 0;
        while (CheckSelection.NextWord(argument, ref position, out ReadOnlySpan<byte> word))
        {
            if (CheckSelection.Match(word) != 0)
                continue;
            if (unknown++ == 0)
            {
                sink.Write(" "u8);
                sink.Write(ReasonText.Phrase(Reason.UnknownChecks));
                sink.Write(" '"u8);
            }
            else
            {
                sink.Write(", '"u8);
            }
            sink.Write(word);
            sink.Write("'"u8);
        }
        if (unknown == 0)
        {
            sink.Write(" "u8);
            sink.Write(ReasonText.Phrase(Reason.SelectsNoCheck));
        }
        sink.Write(" (a category: xen, grant, evtchn, ext-regions, scratch, peers, errpath, frontend, static-shm, static-mem, teardown, domains; a name such as grant.setup; or all)\n"u8);
        Tally(Verdict.Error);
    }

    /// <summary>XTF's closing line: <c>Test result: VERDICT</c>.</summary>
    public readonly void Conclude<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        sink.Write("Test result: "u8);
        sink.Write(VerdictText.Name(_count == 0 ? Verdict.Error : _worst));
        sink.Write("\n"u8);
    }

    private void Tally(Verdict verdict)
    {
        _worst = _count == 0 ? verdict : VerdictText.Worse(_worst, verdict);
        _count++;
    }
}
