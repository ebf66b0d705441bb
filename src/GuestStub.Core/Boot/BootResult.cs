using GuestStub.ExtendedRegions;
using GuestStub.Scratch;
using GuestStub.Xen;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Boot;

/// <summary>
/// What one run of the boot pipeline ended with: each stage's own result, as the stage returned
/// it. Stages that did not run hold their defaults (<c>Ran</c> false).
/// </summary>
public readonly struct BootResult
{
    public readonly bool HypervisorFound;
    public readonly XenSetupResult Xen;
    public readonly EventChannelResult Events;
    public readonly ExtendedRegionStatus RegionStatus;
    public readonly ScratchPoolResult Pool;
    public readonly GrantSelfTestResult GrantSelfTest;
    public readonly ScratchSelfTestResult ScratchSelfTest;
    public readonly ScratchBenchResult Bench;
    public readonly ScratchTeardownResult ScratchTeardown;
    /// <summary>Closing the event channels and disabling the upcall.</summary>
    public readonly XenFailure EventsTeardown;
    /// <summary>Undoing the Xen setup: its teardown, or, when setup failed, what its own undo
    /// could not give back.</summary>
    public readonly XenFailure XenTeardown;

    public BootResult(bool hypervisorFound, in XenSetupResult xen, in EventChannelResult events, ExtendedRegionStatus regionStatus,
        in ScratchPoolResult pool, in GrantSelfTestResult grantSelfTest, in ScratchSelfTestResult scratchSelfTest,
        in ScratchBenchResult bench, in ScratchTeardownResult scratchTeardown, XenFailure eventsTeardown, XenFailure xenTeardown)
    {
        HypervisorFound = hypervisorFound;
        Xen = xen;
        Events = events;
        RegionStatus = regionStatus;
        Pool = pool;
        GrantSelfTest = grantSelfTest;
        ScratchSelfTest = scratchSelfTest;
        Bench = bench;
        ScratchTeardown = scratchTeardown;
        EventsTeardown = eventsTeardown;
        XenTeardown = xenTeardown;
    }

    /// <summary>The result of a boot with no hypervisor node: nothing to set up.</summary>
    public static BootResult WithoutHypervisor => default;

    /// <summary>The scratch self-test's verdict: the pool's failure, else the test's.</summary>
    public ScratchFailure ScratchFailure => Pool.Failure.Or(ScratchSelfTest.Failure);

    /// <summary>Teardown's verdict, in teardown's order: scratch pages, event channels, the Xen setup.</summary>
    public BootFailure TeardownFailure => ScratchTeardown.Failure.IsFailure
        ? BootFailure.Scratch(ScratchTeardown.Failure)
        : BootFailure.Xen(EventsTeardown.Or(XenTeardown));

    /// <summary>The failure <c>report status</c> names: the first of Xen setup, the event-channel
    /// upcall, the grant self-test, the scratch self-test and teardown.</summary>
    public BootFailure FirstFailure =>
        Xen.Failure.IsFailure ? BootFailure.Xen(Xen.Failure)
        : Events.Failure.IsFailure ? BootFailure.Xen(Events.Failure)
        : GrantSelfTest.Failure.IsFailure ? BootFailure.Xen(GrantSelfTest.Failure)
        : ScratchFailure.IsFailure ? BootFailure.Scratch(ScratchFailure)
        : TeardownFailure;

    public bool IsOk => !FirstFailure.IsFailure;
}
