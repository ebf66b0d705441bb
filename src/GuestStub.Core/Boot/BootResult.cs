using System.Diagnostics.CodeAnalysis;
using GuestStub.ExtendedRegions;
using GuestStub.Peers;
using GuestStub.Scratch;
using GuestStub.Xen;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Boot;

/// <summary>
/// What one run of the boot pipeline ended with: each stage's own result, as the stage returned
/// it, kept by the pipeline where the caller's result lies (results are large values, and every
/// copy of one costs the guest's image code). Only the pipeline sets them; stages that did not
/// run hold their defaults (<c>Ran</c> false).
/// </summary>
public struct BootResult
{
    // Set by BootPipeline only; read through the ref-returning accessors, which copy nothing.
    internal bool _hypervisorFound;
    internal XenSetupResult _xen;
    internal EventChannelResult _events;
    internal ExtendedRegionStatus _regionStatus;
    internal ScratchPoolResult _pool;
    internal GrantSelfTestResult _grantSelfTest;
    internal ScratchSelfTestResult _scratchSelfTest;
    internal CrossDomainResult _crossDomain;
    internal SharedMemoryResult _sharedMemory;
    internal ScratchTeardownResult _scratchTeardown;
    internal XenFailure _eventsTeardown;
    internal XenFailure _xenTeardown;

    public readonly bool HypervisorFound => _hypervisorFound;

    [UnscopedRef] public readonly ref readonly XenSetupResult Xen => ref _xen;

    [UnscopedRef] public readonly ref readonly EventChannelResult Events => ref _events;

    public readonly ExtendedRegionStatus RegionStatus => _regionStatus;

    [UnscopedRef] public readonly ref readonly ScratchPoolResult Pool => ref _pool;

    [UnscopedRef] public readonly ref readonly GrantSelfTestResult GrantSelfTest => ref _grantSelfTest;

    [UnscopedRef] public readonly ref readonly ScratchSelfTestResult ScratchSelfTest => ref _scratchSelfTest;

    [UnscopedRef] public readonly ref readonly CrossDomainResult CrossDomain => ref _crossDomain;

    [UnscopedRef] public readonly ref readonly SharedMemoryResult SharedMemory => ref _sharedMemory;

    [UnscopedRef] public readonly ref readonly ScratchTeardownResult ScratchTeardown => ref _scratchTeardown;

    /// <summary>Closing the event channels and disabling the upcall.</summary>
    public readonly XenFailure EventsTeardown => _eventsTeardown;

    /// <summary>Undoing the Xen setup: its teardown, or, when setup failed, what its own undo
    /// could not give back.</summary>
    public readonly XenFailure XenTeardown => _xenTeardown;

    /// <summary>The scratch self-test's verdict: the pool's failure, else the test's.</summary>
    public readonly ScratchFailure ScratchFailure => Pool.Failure.Or(ScratchSelfTest.Failure);

    /// <summary>Teardown's verdict, in teardown's order: scratch pages, event channels, the Xen setup.</summary>
    public readonly BootFailure TeardownFailure => ScratchTeardown.Failure.IsFailure
        ? BootFailure.Scratch(ScratchTeardown.Failure)
        : BootFailure.Xen(EventsTeardown.Or(XenTeardown));

    /// <summary>The failure <c>report status</c> names: the first of Xen setup, the event-channel
    /// upcall, the grant self-test, the scratch self-test and teardown.</summary>
    public readonly BootFailure FirstFailure =>
        Xen.Failure.IsFailure ? BootFailure.Xen(Xen.Failure)
        : Events.Failure.IsFailure ? BootFailure.Xen(Events.Failure)
        : GrantSelfTest.Failure.IsFailure ? BootFailure.Xen(GrantSelfTest.Failure)
        : ScratchFailure.IsFailure ? BootFailure.Scratch(ScratchFailure)
        : CrossDomain.FirstFailure.IsFailure ? BootFailure.Xen(CrossDomain.FirstFailure)
        : TeardownFailure;

    public readonly bool IsOk => !FirstFailure.IsFailure;
}
