using System;
using GuestStub.Text;

namespace GuestStub.Report;

/// <summary>
/// Why a check ended as it did, as a phrase of <see cref="ReasonText"/>: the verdict line
/// writes it, then the failure naming the call and errno when there is one (after ": "). One
/// packed table rather than a literal per call site: the guest's image pays for each.
/// </summary>
public enum Reason : byte
{
    None,
    NoHypervisorNode,
    NotRunSetupFailed,
    NotRunIdentityFailed,
    NotRunSharedInfoFailed,
    NotRunNeedsAStep,
    NotRunNoUpcall,
    NotRunOwnDomidUnknown,
    NotRunNoScratchPage,
    NotRunNoGrant,
    NotRunNoFreePage,
    NotRunGrantDidNotMap,
    NotRunNothingPublished,
    DomidQueryRefused,
    GetFeaturesRefused,
    QuerySizeRefused,
    NoInterrupt,
    InterruptUnresolved,
    LoopbackNeverCame,
    NoExtendedRegion,
    RegionsBeyondAddressable,
    TooManyRegions,
    NoTargetResource,
    ScratchPool,
    NothingToTearDownScratch,
    NothingToTearDownEvtchn,
    ScratchPageStillHeld,
    BalloonedPagesStillOut,
    RamPagesStillHeld,
    NoOtherDomain,
    NoPeerGrantIntact,
    NotTheRefusal,
    NotRefused,
    UndoingIt,
    NoDom0ToPublishTo,
    NoDom0,
    ClosingTheChannel,
    RefusedThenAllFinished,
    RefusedUntilTheBound,
    StillRunningAtTheBound,
    UnknownChecks,
    SelectsNoCheck,
    NoStaticShm,
    ShmNodeUnusable,
    NoShmPeer,
    ExtRegionOverlapsShm,
    NoExpectedMemory,
    ExpectedMemoryMalformed,
    BanksDiffer,
    ShmOverGic,
}

/// <summary>The phrases of <see cref="Reason"/>.</summary>
public static class ReasonText
{
    // In Reason's order (None = 0 first).
    private static ReadOnlySpan<byte> Phrases =>
        "\0"u8 +
        "no hypervisor node (no xen,enhanced): nothing of Xen's to check\0"u8 +
        "not run: the Xen setup failed\0"u8 +
        "not run: xen.identity failed\0"u8 +
        "not run: xen.shared-info failed\0"u8 +
        "not run: a step it needs did not run\0"u8 +
        "not run: no event-channel upcall (evtchn.upcall)\0"u8 +
        "not run: own domid unknown (xen.identity)\0"u8 +
        "not run: no scratch page (scratch.pool)\0"u8 +
        "not run: no grant to map (grant.self-test)\0"u8 +
        "not run: no free page to try it with\0"u8 +
        "not run: its grant did not map (peers.grant-map)\0"u8 +
        "not run: nothing published (frontend.publish)\0"u8 +
        "Xen could not be asked for the domid\0"u8 +
        "XENVER_get_features refused\0"u8 +
        "GNTTABOP_query_size refused (4 frames assumed, as Linux does)\0"u8 +
        "the hypervisor node names no interrupt\0"u8 +
        "the hypervisor node's interrupt cannot be resolved\0"u8 +
        "the loopback event never came\0"u8 +
        "the hypervisor node names no extended region\0"u8 +
        "every region lies beyond what the stub can address:\0"u8 +
        "more regions than the stub holds:\0"u8 +
        "no target resource:\0"u8 +
        "scratch pool\0"u8 +
        "nothing to tear down: no scratch pool was opened\0"u8 +
        "nothing to tear down: the upcall was not set up\0"u8 +
        "a scratch page is still held (Xen still maps it)\0"u8 +
        "ballooned pages are still out (Xen would not repopulate them)\0"u8 +
        "RAM pages still held (Xen still maps them)\0"u8 +
        "no other domain found\0"u8 +
        "no peer's grant mapped and read intact (peers.grant-map)\0"u8 +
        "not the refusal it must be\0"u8 +
        "Xen did what it must refuse\0"u8 +
        "undoing it\0"u8 +
        "no dom0 to publish to\0"u8 +
        "no dom0 (frontend.publish)\0"u8 +
        "closing the channel\0"u8 +
        "refused on the way, then all finished\0"u8 +
        "refused until the bound ran out\0"u8 +
        "still running when the bound ran out\0"u8 +
        "unknown in gueststub.checks:\0"u8 +
        "gueststub.checks selects no check\0"u8 +
        "no static shared memory in the device tree\0"u8 +
        "unusable xen-shmem node:\0"u8 +
        "no static channel to another domU\0"u8 +
        "overlaps the extended region\0"u8 +
        "no gueststub.expect-mem= given\0"u8 +
        "gueststub.expect-mem= is malformed\0"u8 +
        "memory banks differ from gueststub.expect-mem=:\0"u8 +
        "overlaps the GIC's emulated registers\0"u8;

    public static ReadOnlySpan<byte> Phrase(Reason reason) => NameTable.Get(Phrases, (long)reason);
}
