using GuestStub.DeviceTree;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Boot;

/// <summary>
/// What the Xen stages tell the user: "GuestStub: ..." lines as they go, and the report lines
/// (<see cref="ReportLine"/>). Keys, in order: hypervisor, xen.features, domid, shared_info,
/// grant.nr_frames, grant.max_nr_frames, grant.policy, grant.region0, grant.region0.verdict,
/// grant.method, grant.range, grant.frames (<see cref="WriteSetup"/>, once Xen is set up);
/// evtchn.irq (<see cref="WriteEventChannelInterrupt"/>); then the extended-region and scratch lines of <see cref="ScratchStage"/> (ext.region...,
/// ext.rejected..., ext.clamp, ext.resource, ext.hole..., scratch.method, scratch.chunk..., scratch.pages.free,
/// scratch.pages.used, scratch.selftest, and scratch.bench.* when asked); then grant.selftest,
/// teardown, status (<see cref="WriteEnd"/>).
/// </summary>
public static class XenReport
{
    public static void Progress<TSink>(ref TSink sink, in XenSetup xen, XenFailure failure) where TSink : struct, ITextSink
    {
        if (xen.VersionMajor != 0 || xen.VersionMinor != 0)
        {
            sink.Write("GuestStub: Xen "u8);
            Version(ref sink, xen);
            sink.Write(", features "u8);
            TextFormat.Hex(ref sink, xen.Features);
            sink.Write(xen.IsDom0 ? " (dom0)"u8 : " (domU)"u8);
            sink.Write(", domid "u8);
            Domid(ref sink, xen);
            sink.Write("\n"u8);
        }
        if (xen.SharedInfoMapped)
        {
            sink.Write("GuestStub: shared_info mapped at "u8);
            TextFormat.Hex(ref sink, xen.SharedInfoGfn << XenPage.Shift);
            sink.Write("\n"u8);
        }
        if (xen.Method != GrantMethod.None)
        {
            sink.Write("GuestStub: grant table: "u8);
            TextFormat.Decimal(ref sink, xen.Grants.FrameCount);
            sink.Write(" frames (query_size: "u8);
            if (xen.QuerySizeFailure.IsFailure)
            {
                xen.QuerySizeFailure.Write(ref sink);
                sink.Write(", assuming 4"u8);
            }
            else
            {
                TextFormat.Decimal(ref sink, xen.NrFrames);
                sink.Write(" of at most "u8);
                TextFormat.Decimal(ref sink, xen.MaxNrFrames);
            }
            sink.Write(") at "u8);
            sink.Write(GrantPlacementText.Method(xen.Method));
            sink.Write(" "u8);
            TextFormat.Range(ref sink, xen.Grants.Range);
            if (xen.Region0Verdict != Region0Verdict.Usable)
            {
                sink.Write("; region 0 "u8);
                sink.Write(GrantPlacementText.Verdict(xen.Region0Verdict));
            }
            sink.Write("\n"u8);
        }
        if (failure.IsFailure)
        {
            sink.Write("GuestStub: error: Xen setup failed: "u8);
            failure.Write(ref sink);
            if (xen.UndoFailure.IsFailure)
            {
                sink.Write("; undoing it failed: "u8);
                xen.UndoFailure.Write(ref sink);
            }
            else
            {
                sink.Write(" (everything mapped so far was undone)"u8);
            }
            sink.Write("\n"u8);
        }
    }

    public static void SelfTestProgress<TSink>(ref TSink sink, in XenSetup xen, XenFailure failure, ulong scratchAddress)
        where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: grant self-test: entry "u8);
        TextFormat.Decimal(ref sink, GrantSelfTest.Reference);
        sink.Write(" grants a RAM page to domid "u8);
        Domid(ref sink, xen);
        if (scratchAddress != 0)
        {
            sink.Write(", mapped at "u8);
            TextFormat.Hex(ref sink, scratchAddress);
        }
        sink.Write(": "u8);
        if (failure.IsFailure)
            failure.Write(ref sink);
        else
            sink.Write("ok"u8);
        sink.Write("\n"u8);
    }

    public static void TeardownProgress<TSink>(ref TSink sink, XenFailure failure, int pagesOutstanding) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: teardown: "u8);
        if (failure.IsFailure)
            failure.Write(ref sink);
        else
            sink.Write("grant frames and shared_info unmapped, pages repopulated"u8);
        if (pagesOutstanding != 0)
            sink.Write(" (page runs still allocated)"u8);
        sink.Write("\n"u8);
    }

    /// <summary>The report lines of stage 1, from hypervisor to grant.frames.</summary>
    public static void WriteSetup<TSink>(ref TSink sink, in BootOutcome outcome) where TSink : struct, ITextSink
    {
        ref readonly XenSetup xen = ref outcome.Xen;
        ReportLine.Begin(ref sink, "hypervisor"u8);
        if (xen.VersionMajor != 0 || xen.VersionMinor != 0)
        {
            sink.Write("xen-"u8);
            Version(ref sink, xen);
        }
        else
        {
            sink.Write("xen-unknown"u8);
        }
        sink.Write("\n"u8);

        if (xen.VersionMajor != 0 || xen.VersionMinor != 0)
        {
            ReportLine.Hex(ref sink, "xen.features"u8, xen.Features);
            ReportLine.Begin(ref sink, "domid"u8);
            Domid(ref sink, xen);
            sink.Write("\n"u8);
        }
        if (xen.SharedInfoAllocated || xen.SharedInfoGfn != 0)
            ReportLine.Hex(ref sink, "shared_info"u8, xen.SharedInfoGfn << XenPage.Shift);

        if (xen.Method != GrantMethod.None)
        {
            ReportLine.Begin(ref sink, "grant.nr_frames"u8);
            QueryValue(ref sink, xen, xen.NrFrames);
            ReportLine.Begin(ref sink, "grant.max_nr_frames"u8);
            QueryValue(ref sink, xen, xen.MaxNrFrames);
            ReportLine.Write(ref sink, "grant.policy"u8, xen.QuerySizeFailure.IsFailure
                ? "legacy-4-frames(query_size-failed)"u8 : "min(max_nr_frames,64)"u8);
            if (xen.HasRegion0)
                ReportLine.Range(ref sink, "grant.region0"u8, xen.Region0);
            else if (xen.Region0Verdict == Region0Verdict.EndOverflow)
            {
                ReportLine.Begin(ref sink, "grant.region0"u8);
                TextFormat.AddressSize(ref sink, xen.DroppedRegion0Start, xen.DroppedRegion0SizeBytes);
                sink.Write("\n"u8);
            }
            else
                ReportLine.Write(ref sink, "grant.region0"u8, "none"u8);
            ReportLine.Write(ref sink, "grant.region0.verdict"u8, GrantPlacementText.Verdict(xen.Region0Verdict));
            ReportLine.Write(ref sink, "grant.method"u8, GrantPlacementText.Method(xen.Method));
            if (outcome.InitFailure.IsFailure)
                ReportLine.Write(ref sink, "grant.range"u8, "none"u8);
            else
                ReportLine.Range(ref sink, "grant.range"u8, xen.Grants.Range);
            ReportLine.Decimal(ref sink, "grant.frames"u8, outcome.InitFailure.IsFailure ? 0 : xen.Grants.FrameCount);
        }
    }

    /// <summary>
    /// <c>evtchn.irq</c>, the event-channel upcall from the hypervisor node: its GIC INTID;
    /// <c>none</c> without <c>interrupts</c>; <c>unsupported</c> for a specifier that is not a
    /// 3-cell GIC PPI or SPI; <c>unresolved: CAUSE at 0xOFFSET</c> when it cannot be decoded.
    /// Nothing the stub does yet needs the upcall, so an unresolved one only shows here.
    /// </summary>
    public static void WriteEventChannelInterrupt<TSink>(ref TSink sink, in HypervisorFacts hypervisor) where TSink : struct, ITextSink
    {
        ReportLine.Begin(ref sink, "evtchn.irq"u8);
        if (hypervisor.EventChannelInterruptStatus == EventChannelInterruptStatus.Unresolved)
        {
            sink.Write("unresolved: "u8);
            sink.Write(DtbErrorText.Describe(hypervisor.EventChannelInterruptError.Error));
            sink.Write(" at "u8);
            TextFormat.Hex(ref sink, (ulong)hypervisor.EventChannelInterruptError.Offset);
        }
        else if (!hypervisor.HasEventChannelInterrupt)
            sink.Write("none"u8);
        else if (hypervisor.EventChannelInterrupt.TryGetGicIntId(out uint intId))
            TextFormat.Decimal(ref sink, intId);
        else
            sink.Write("unsupported"u8);
        sink.Write("\n"u8);
    }

    /// <summary>The closing report lines: grant.selftest, scratch.selftest when stage 2 did
    /// not run (it prints its own otherwise), teardown, status.</summary>
    public static void WriteEnd<TSink>(ref TSink sink, in BootOutcome outcome) where TSink : struct, ITextSink
    {
        if (!outcome.Scratch.Ran)
            ReportLine.Write(ref sink, "scratch.selftest"u8, "skipped"u8);

        ReportLine.Begin(ref sink, "grant.selftest"u8);
        if (!outcome.SelfTestRan)
            sink.Write("skipped"u8);
        else if (outcome.SelfTestFailure.IsFailure)
            outcome.SelfTestFailure.Write(ref sink);
        else
            sink.Write("ok"u8);
        sink.Write("\n"u8);

        ReportLine.Begin(ref sink, "teardown"u8);
        if (outcome.TeardownFailure.IsFailure)
            outcome.TeardownFailure.Write(ref sink);
        else
            sink.Write("ok"u8);
        sink.Write("\n"u8);

        ReportLine.Begin(ref sink, "status"u8);
        XenFailure first = outcome.FirstFailure;
        if (first.IsFailure)
        {
            sink.Write("error "u8);
            first.Write(ref sink);
        }
        else
        {
            sink.Write("ok"u8);
        }
        sink.Write("\n"u8);
    }

    private static void Version<TSink>(ref TSink sink, in XenSetup xen) where TSink : struct, ITextSink
    {
        TextFormat.Decimal(ref sink, xen.VersionMajor);
        sink.Write("."u8);
        TextFormat.Decimal(ref sink, xen.VersionMinor);
    }

    private static void Domid<TSink>(ref TSink sink, in XenSetup xen) where TSink : struct, ITextSink
    {
        if (xen.HasDomid)
            TextFormat.Decimal(ref sink, xen.Domid);
        else
            sink.Write("unknown"u8);
    }

    private static void QueryValue<TSink>(ref TSink sink, in XenSetup xen, uint value) where TSink : struct, ITextSink
    {
        if (xen.QuerySizeFailure.IsFailure)
            sink.Write("unknown"u8);
        else
            TextFormat.Decimal(ref sink, value);
        sink.Write("\n"u8);
    }
}
