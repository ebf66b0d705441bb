using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Text;
using GuestStub.Xen;
using GuestStub.Xen.Setup;

namespace GuestStub.Report;

/// <summary>
/// What the Xen stages tell the user: "GuestStub: ..." lines, and the report lines hypervisor,
/// xen.features, domid, shared_info, grant.nr_frames, grant.max_nr_frames, grant.policy,
/// grant.region0, grant.region0.verdict, grant.method, grant.range, grant.frames, in that order.
/// </summary>
public static class XenSetupReport
{
    public static void Write<TSink>(ref TSink sink, ref CheckVerdicts checks, in XenSetupResult xen) where TSink : struct, ITextSink
    {
        Progress(ref sink, xen);
        Lines(ref sink, xen);
        Verdicts(ref sink, ref checks, xen);
    }

    /// <summary>
    /// xen.identity: XENVER_version and XENVER_get_features answer and Xen tells the stub its
    /// domid (agreeing with gueststub.domid when given); xen.shared-info: shared_info mapped;
    /// grant.setup: GNTTABOP_query_size answers and every grant frame is mapped. A step after
    /// the one that failed did not run.
    /// </summary>
    private static void Verdicts<TSink>(ref TSink sink, ref CheckVerdicts checks, in XenSetupResult xen) where TSink : struct, ITextSink
    {
        ref readonly XenIdentity id = ref xen.Identity;
        bool identityFailed = !id.HasVersion || xen.Failure.Cause == XenFailureCause.DomidMismatch;
        if (identityFailed)
            checks.Outcome(ref sink, Check.XenIdentity, xen.Failure);
        else if (id.DomidQueryFailure.IsFailure)
            checks.Write(ref sink, Check.XenIdentity, Verdict.Failure, Reason.DomidQueryRefused, id.DomidQueryFailure);
        else if (!id.HasFeatures)
            checks.Write(ref sink, Check.XenIdentity, Verdict.Failure, Reason.GetFeaturesRefused);
        else
            checks.Write(ref sink, Check.XenIdentity, Verdict.Success);

        if (identityFailed)
        {
            checks.Write(ref sink, Check.XenSharedInfo, Verdict.Skip, Reason.NotRunIdentityFailed);
            checks.Write(ref sink, Check.GrantSetup, Verdict.Skip, Reason.NotRunIdentityFailed);
            return;
        }
        if (!xen.SharedInfo.Mapped)
        {
            checks.Outcome(ref sink, Check.XenSharedInfo, xen.Failure);
            checks.Write(ref sink, Check.GrantSetup, Verdict.Skip, Reason.NotRunSharedInfoFailed);
            return;
        }
        checks.Write(ref sink, Check.XenSharedInfo, Verdict.Success);
        if (xen.Failure.IsFailure)
            checks.Outcome(ref sink, Check.GrantSetup, xen.Failure);
        else if (xen.Grants.QuerySizeFailure.IsFailure)
            checks.Write(ref sink, Check.GrantSetup, Verdict.Failure, Reason.QuerySizeRefused, xen.Grants.QuerySizeFailure);
        else
            checks.Write(ref sink, Check.GrantSetup, Verdict.Success);
    }

    private static void Progress<TSink>(ref TSink sink, in XenSetupResult xen) where TSink : struct, ITextSink
    {
        ref readonly XenIdentity id = ref xen.Identity;
        if (id.HasVersion)
        {
            sink.Write("GuestStub: Xen "u8);
            Version(ref sink, id);
            sink.Write(", features "u8);
            TextFormat.Hex(ref sink, id.Features);
            sink.Write(id.IsDom0 ? " (dom0)"u8 : " (domU)"u8);
            sink.Write(", domid "u8);
            Domid(ref sink, id);
            sink.Write("\n"u8);
            if (!id.Interfaces.Known)
                UnknownRelease(ref sink, id.Interfaces);
            if (id.DomidQueryFailure.IsFailure)
            {
                sink.Write("GuestStub: warning: Xen could not be asked for the domid ("u8);
                id.DomidQueryFailure.Write(ref sink);
                sink.Write(id.DomidSource == DomidSource.Dom0Feature ? "): 0 from XENFEAT_dom0\n"u8
                    : id.DomidSource == DomidSource.BootArgument ? "): taken from gueststub.domid\n"u8 : ")\n"u8);
            }
        }
        if (xen.IsReady && xen.SharedInfo.Mapped)
        {
            sink.Write("GuestStub: shared_info mapped at "u8);
            TextFormat.Hex(ref sink, xen.SharedInfo.Address);
            sink.Write("\n"u8);
        }
        ref readonly GrantTablePlacement grants = ref xen.Grants;
        if (grants.Method != GrantMethod.None)
        {
            sink.Write("GuestStub: grant table: "u8);
            TextFormat.Decimal(ref sink, grants.Table.FrameCount);
            sink.Write(" frames (query_size: "u8);
            if (grants.QuerySizeFailure.IsFailure)
            {
                grants.QuerySizeFailure.Write(ref sink);
                sink.Write(", assuming 4"u8);
            }
            else
            {
                TextFormat.Decimal(ref sink, grants.NrFrames);
                sink.Write(" of at most "u8);
                TextFormat.Decimal(ref sink, grants.MaxNrFrames);
            }
            sink.Write(") at "u8);
            sink.Write(GrantPlacementText.Method(grants.Method));
            sink.Write(" "u8);
            TextFormat.Range(ref sink, grants.Table.Range);
            if (grants.Region0Verdict != Region0Verdict.Usable)
            {
                sink.Write("; region 0 "u8);
                sink.Write(GrantPlacementText.Verdict(grants.Region0Verdict));
            }
            sink.Write("\n"u8);
        }
        if (xen.Failure.IsFailure)
        {
            sink.Write("GuestStub: error: Xen setup failed: "u8);
            xen.Failure.Write(ref sink);
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

    private static void Lines<TSink>(ref TSink sink, in XenSetupResult xen) where TSink : struct, ITextSink
    {
        ref readonly XenIdentity id = ref xen.Identity;
        ReportLine.Begin(ref sink, "hypervisor"u8);
        if (id.HasVersion)
        {
            sink.Write("xen-"u8);
            Version(ref sink, id);
        }
        else
        {
            sink.Write("xen-unknown"u8);
        }
        sink.Write("\n"u8);

        if (id.HasVersion)
        {
            ReportLine.Hex(ref sink, "xen.features"u8, id.Features);
            ReportLine.Begin(ref sink, "domid"u8);
            Domid(ref sink, id);
            sink.Write("\n"u8);
        }
        if (xen.SharedInfo.Allocated)
            ReportLine.Hex(ref sink, "shared_info"u8, xen.SharedInfo.Address);

        ref readonly GrantTablePlacement grants = ref xen.Grants;
        if (grants.Method == GrantMethod.None)
            return;
        bool queryFailed = grants.QuerySizeFailure.IsFailure;
        ReportLine.Begin(ref sink, "grant.nr_frames"u8);
        QueryValue(ref sink, queryFailed, grants.NrFrames);
        ReportLine.Begin(ref sink, "grant.max_nr_frames"u8);
        QueryValue(ref sink, queryFailed, grants.MaxNrFrames);
        ReportLine.Write(ref sink, "grant.policy"u8, queryFailed ? "legacy-4-frames(query_size-failed)"u8 : "min(max_nr_frames,64)"u8);
        if (grants.HasRegion0)
            ReportLine.Range(ref sink, "grant.region0"u8, grants.Region0);
        else if (grants.Region0Verdict == Region0Verdict.EndOverflow)
        {
            ReportLine.Begin(ref sink, "grant.region0"u8);
            TextFormat.AddressSize(ref sink, grants.DroppedRegion0Start, grants.DroppedRegion0SizeBytes);
            sink.Write("\n"u8);
        }
        else
            ReportLine.Write(ref sink, "grant.region0"u8, "none"u8);
        ReportLine.Write(ref sink, "grant.region0.verdict"u8, GrantPlacementText.Verdict(grants.Region0Verdict));
        ReportLine.Write(ref sink, "grant.method"u8, GrantPlacementText.Method(grants.Method));
        if (xen.IsReady)
            ReportLine.Range(ref sink, "grant.range"u8, grants.Table.Range);
        else
            ReportLine.Write(ref sink, "grant.range"u8, "none"u8);
        ReportLine.Decimal(ref sink, "grant.frames"u8, xen.IsReady ? grants.Table.FrameCount : 0);
    }

    /// <summary>The grant self-test's line, then grant.self-test: a RAM page granted to itself in
    /// entry 8, read back through the table, and access ended once nothing maps it.</summary>
    public static void SelfTest<TSink>(ref TSink sink, ref CheckVerdicts checks, in XenIdentity id, in XenFailure failure, ulong mappedAt)
        where TSink : struct, ITextSink
    {
        SelfTest(ref sink, id, failure, mappedAt);
        if (failure.Cause == XenFailureCause.NoDomainId)
            checks.Write(ref sink, Check.GrantSelfTest, Verdict.Skip, Reason.NotRunOwnDomidUnknown);
        else
            checks.Outcome(ref sink, Check.GrantSelfTest, failure);
    }

    /// <summary>"GuestStub: grant self-test: entry 8 grants a RAM page to domid N[, mapped at A]: RESULT".</summary>
    public static void SelfTest<TSink>(ref TSink sink, in XenIdentity id, in XenFailure failure, ulong mappedAt) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: grant self-test: entry "u8);
        TextFormat.Decimal(ref sink, GrantSelfTest.Reference);
        sink.Write(" grants a RAM page to domid "u8);
        Domid(ref sink, id);
        if (mappedAt != 0)
        {
            sink.Write(", mapped at "u8);
            TextFormat.Hex(ref sink, mappedAt);
        }
        sink.Write(": "u8);
        ReportLine.Result(ref sink, failure);
        sink.Write("\n"u8);
    }

    /// <summary>The teardown's line, then teardown.xen: the grant frames and shared_info
    /// unmapped, the pages repopulated, every RAM page the stub took given back.</summary>
    public static void Teardown<TSink>(ref TSink sink, ref CheckVerdicts checks, in XenFailure failure, int pageRunsOutstanding)
        where TSink : struct, ITextSink
    {
        Teardown(ref sink, failure, pageRunsOutstanding);
        if (failure.IsFailure)
            checks.Outcome(ref sink, Check.TeardownXen, failure);
        else if (pageRunsOutstanding != 0)
            checks.Write(ref sink, Check.TeardownXen, Verdict.Failure, Reason.RamPagesStillHeld);
        else
            checks.Write(ref sink, Check.TeardownXen, Verdict.Success);
    }

    public static void Teardown<TSink>(ref TSink sink, in XenFailure failure, int pageRunsOutstanding) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: teardown: "u8);
        if (failure.IsFailure)
            failure.Write(ref sink);
        else
            sink.Write("grant frames and shared_info unmapped, pages repopulated"u8);
        if (pageRunsOutstanding != 0)
            sink.Write(" (page runs still allocated)"u8);
        sink.Write("\n"u8);
    }

    /// <summary>"GuestStub: Xen X.Y is newer than the releases the stub knows (4.15 to 4.22): ...",
    /// saying how it will ask for the domains all the same.</summary>
    private static void UnknownRelease<TSink>(ref TSink sink, in XenInterfaces release) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: warning: Xen "u8);
        XenInterfacesText.Release(ref sink, release.Major, release.Minor);
        sink.Write(release.Newer ? " is newer than the releases the stub knows ("u8 : " is older than the releases the stub knows ("u8);
        XenInterfacesText.KnownReleases(ref sink);
        if (release.HasGetDomainState)
        {
            sink.Write("): it asks for the domains with XEN_DOMCTL_get_domain_state, whose interface is stable\n"u8);
            return;
        }
        sink.Write("): it uses "u8);
        XenInterfacesText.Release(ref sink, release.Major, release.TableMinor);
        sink.Write("'s domctl interface version, "u8);
        TextFormat.Hex(ref sink, release.DomctlVersion);
        sink.Write("\n"u8);
    }

    private static void Version<TSink>(ref TSink sink, in XenIdentity id) where TSink : struct, ITextSink
    {
        TextFormat.Decimal(ref sink, id.VersionMajor);
        sink.Write("."u8);
        TextFormat.Decimal(ref sink, id.VersionMinor);
    }

    private static void Domid<TSink>(ref TSink sink, in XenIdentity id) where TSink : struct, ITextSink
    {
        if (id.HasDomid)
            TextFormat.Decimal(ref sink, id.Domid);
        else
            sink.Write("unknown"u8);
    }

    private static void QueryValue<TSink>(ref TSink sink, bool queryFailed, uint value) where TSink : struct, ITextSink
    {
        if (queryFailed)
            sink.Write("unknown"u8);
        else
            TextFormat.Decimal(ref sink, value);
        sink.Write("\n"u8);
    }
}
