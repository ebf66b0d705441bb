using GuestStub.ExtendedRegions;
using GuestStub.Scratch;
using GuestStub.Xen;
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
    public readonly ExtendedRegionStatus RegionStatus;
    public readonly ScratchPoolResult Pool;
    public readonly GrantSelfTestResult GrantSelfTest;
    public readonly ScratchSelfTestResult ScratchSelfTest;
    public readonly ScratchBenchResult Bench;
    public readonly ScratchTeardownResult ScratchTeardown;
    /// <summary>Undoing the Xen setup: its teardown, or, when setup failed, what its own undo
    /// could not give back.</summary>
    public readonly XenFailure XenTeardown;

    public BootResult(bool hypervisorFound, in XenSetupResult xen, ExtendedRegionStatus regionStatus, in ScratchPoolResult pool,
        in GrantSelfTestResult grantSelfTest, in ScratchSelfTestResult scratchSelfTest, in ScratchBenchResult bench,
        in ScratchTeardownResult scratchTeardown, XenFailure xenTeardown)
    {
        HypervisorFound = hypervisorFound;
        Xen = xen;
        RegionStatus = regionStatus;
        Pool = pool;
        GrantSelfTest = grantSelfTest;
        ScratchSelfTest = scratchSelfTest;
        Bench = bench;
        ScratchTeardown = scratchTeardown;
        XenTeardown = xenTeardown;
    }

    /// <summary>The result of a boot with no hypervisor node: nothing to set up.</summary>
    public static BootResult WithoutHypervisor => default;

    /// <summary>The scratch self-test's verdict: the pool's failure, else the test's.</summary>
    public ScratchFailure ScratchFailure => Pool.Failure.Or(ScratchSelfTest.Failure);

    /// <summary>Teardown's verdict: giving back scratch pages first, then the Xen setup.</summary>
    public BootFailure TeardownFailure => ScratchTeardown.Failure.IsFailure
        ? BootFailure.Scratch(ScratchTeardown.Failure)
        : BootFailure.Xen(XenTeardown);

    /// <summary>The failure <c>report status</c> names: the first of Xen setup, the grant
    /// self-test, the scratch self-test and teardown.</summary>
    public BootFailure FirstFailure =>
        Xen.Failure.IsFailure ? BootFailure.Xen(Xen.Failure)
        : GrantSelfTest.Failure.IsFailure ? BootFailure.Xen(GrantSelfTest.Failure)
        : ScratchFailure.IsFailure ? BootFailure.Scratch(ScratchFailure)
        : TeardownFailure;

    public bool IsOk => !FirstFailure.IsFailure;
}
