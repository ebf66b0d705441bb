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

    public readonly bool IsOk => !InitFailure.IsFailure && !SelfTestFailure.IsFailure && !TeardownFailure.IsFailure;
}

/// <summary>
/// The stub's boot after the device tree has been read: the stages in order, each a type with
/// one job (STYLE.md "data flows one way"), then the report. Runs unchanged in the guest (real
/// Xen) and on the host (the simulated Xen of GuestStub.Simulation, <c>gueststub plan</c>).
/// </summary>
public static class BootSequence
{
    /// <summary>
    /// Sets Xen up, proves the grant table, tears everything down again and writes the summary
    /// and the <c>report</c> lines to <paramref name="sink"/>. Never fails silently: every
    /// failure ends in <c>report status error ...</c> naming the hypercall and errno.
    /// </summary>
    public static BootOutcome Run<THv, TSink>(ref THv hv, ref TSink sink, in BootFacts facts)
        where THv : struct, IXenHypervisor
        where TSink : struct, ITextSink
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

        if (!outcome.InitFailure.IsFailure)
        {
            // Stage 2 (issue 5, plugged in by the lead): extended regions 1..N of
            // facts.Hypervisor.Regions registered and validated (GuestStub.ExtendedRegions), then
            // the scratch page pool (GuestStub.Scratch). The self-test below should then take its
            // scratch frame from that pool instead of TemporaryScratchFrame.
            ulong scratchGfn = TemporaryScratchFrame(facts, outcome.Xen);
            PhysicalRange.TryCreate(scratchGfn << XenPage.Shift, scratchGfn == 0 ? 0 : XenPage.SizeBytes, out PhysicalRange scratch);
            bool scratchAccessible = scratchGfn == 0 || hv.BeginNormalAccess(scratch);

            // Stage 3: prove the grant table.
            outcome.SelfTestRan = true;
            outcome.SelfTestFailure = GrantSelfTest.Run(ref hv, ref pages, outcome.Xen, scratchAccessible ? scratchGfn : 0,
                out bool mappedThroughScratch);
            if (scratchGfn != 0 && scratchAccessible)
                hv.EndNormalAccess(scratch);
            XenReport.SelfTestProgress(ref sink, outcome.Xen, outcome.SelfTestFailure, mappedThroughScratch ? scratchGfn : 0);

            // Stage 4: teardown, so a later stage can take over.
            outcome.TeardownFailure = outcome.Xen.Teardown(ref hv, ref pages);
            XenReport.TeardownProgress(ref sink, outcome.TeardownFailure, pages.OutstandingRuns);
        }

        XenReport.Write(ref sink, outcome);
        return outcome;
    }

    /// <summary>
    /// Until the scratch page pool (issue 5) is plugged in: the first page of the first extended
    /// region (hypervisor node reg index 1) when it is page aligned and clear of RAM, reserved
    /// ranges and region 0; 0 (no scratch mapping in the self-test) otherwise.
    /// </summary>
    private static ulong TemporaryScratchFrame(in BootFacts facts, in XenSetup xen)
    {
        if (facts.Hypervisor.Regions.Count < 2)
            return 0;
        PhysicalRange region = facts.Hypervisor.Regions[1];
        if ((region.Start & XenPage.OffsetMask) != 0 || region.SizeBytes < XenPage.SizeBytes || region.Start == 0)
            return 0;
        PhysicalRange.TryCreate(region.Start, XenPage.SizeBytes, out PhysicalRange page);
        for (int i = 0; i < facts.Memory.Count; i++)
            if (facts.Memory[i].Overlaps(page))
                return 0;
        for (int i = 0; i < facts.Reserved.Count; i++)
            if (facts.Reserved[i].Overlaps(page))
                return 0;
        if (xen.Grants.Range.Overlaps(page) || (xen.HasRegion0 && xen.Region0.Overlaps(page)))
            return 0;
        return region.Start >> XenPage.Shift;
    }
}
