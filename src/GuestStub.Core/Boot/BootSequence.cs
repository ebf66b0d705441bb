using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Boot;

/// <summary>What a boot sequence ended with, for callers that act on it (tests, the CLI).</summary>
public struct BootOutcome
{
    public bool HypervisorFound;
    public XenFailure InitFailure;
    public XenFailure SelfTestFailure;
    public bool SelfTestRan;
    public XenFailure TeardownFailure;
    public XenSetup Xen;
    /// <summary>Extended regions and the scratch pool (stage 2).</summary>
    public ScratchOutcome Scratch;

    /// <summary>The failure <c>report status</c> names: the first of initialisation, grant
    /// self-test, scratch self-test and teardown.</summary>
    public readonly XenFailure FirstFailure =>
        InitFailure.IsFailure ? InitFailure
        : SelfTestFailure.IsFailure ? SelfTestFailure
        : Scratch.Failure.IsFailure ? Scratch.Failure
        : TeardownFailure;

    public readonly bool IsOk => !FirstFailure.IsFailure;
}

/// <summary>
/// The stub's boot after the device tree has been read: the stages in order, each a type with
/// one job (STYLE.md "data flows one way"), then the report. Runs unchanged in the guest (real
/// Xen) and on the host (the simulated Xen of GuestStub.Simulation, <c>gueststub plan</c>).
/// </summary>
public static class BootSequence
{
    /// <summary>
    /// Sets Xen up (stage 1), registers the extended regions and proves a scratch page with the
    /// grant self-test (stages 2 and 3, <see cref="ScratchStage"/>), tears everything down again
    /// (stage 4) and writes the summary and the <c>report</c> lines to <paramref name="sink"/>.
    /// <paramref name="env"/> says where the DTB and the image are and what is addressable;
    /// <paramref name="clock"/> times <c>gueststub.bench=scratch</c>. Never fails silently:
    /// every failure ends in <c>report status error ...</c> naming the hypercall and errno.
    /// </summary>
    public static BootOutcome Run<THv, TSink, TClock>(ref THv hv, ref TSink sink, in BootFacts facts, in BootEnvironment env,
        ref TClock clock)
        where THv : struct, IXenHypervisor
        where TSink : struct, ITextSink
        where TClock : struct, ITickSource
    {
        BootOutcome outcome = default;
        if (!facts.Hypervisor.Found)
        {
            sink.Write("GuestStub: no hypervisor node: nothing to set up with Xen\n"u8);
            ReportLine.Write(ref sink, "hypervisor"u8, "none"u8);
            ReportLine.Write(ref sink, "status"u8, "ok"u8);
            return outcome;
        }
        outcome.HypervisorFound = true;

        var args = new BootArguments(facts.HasBootargs ? facts.Bootargs : default);
        XenBootOptions options = XenBootOptions.Parse(args);
        if (options.BadDomid)
            sink.Write("GuestStub: warning: gueststub.domid= is not a domid (0..32751): ignored\n"u8);

        // Stage 1: Xen guest initialisation (issue 4).
        var pages = new RamPageAllocator(facts.Memory, facts.Reserved);
        outcome.InitFailure = outcome.Xen.Init(ref hv, ref pages, facts.Memory, facts.Reserved, facts.Hypervisor.Regions, options);
        XenReport.Progress(ref sink, outcome.Xen, outcome.InitFailure);
        XenReport.WriteSetup(ref sink, outcome);
        XenReport.WriteEventChannelInterrupt(ref sink, facts.Hypervisor);

        if (!outcome.InitFailure.IsFailure)
        {
            // Stages 2 and 3: extended regions, the scratch pool, the grant self-test mapped at a
            // scratch page; the stage gives back what it took before returning (issue 5).
            ScratchStage.Run(ref hv, ref sink, ref pages, facts, env, options, ref clock, ref outcome);

            // Stage 4: teardown, so a later stage can take over.
            XenFailure xenTeardown = outcome.Xen.Teardown(ref hv, ref pages);
            outcome.TeardownFailure = outcome.Scratch.TeardownFailure.IsFailure ? outcome.Scratch.TeardownFailure : xenTeardown;
            XenReport.TeardownProgress(ref sink, xenTeardown, pages.OutstandingRuns);
        }
        else
        {
            // Init has undone its own work; what it could not give back is teardown's failure.
            outcome.TeardownFailure = outcome.Xen.UndoFailure;
        }

        XenReport.WriteEnd(ref sink, outcome);
        return outcome;
    }
}
