namespace GuestStub.ExtendedRegions;

/// <summary>
/// The outcome of registering the extended regions. Anything but <see cref="Ok"/> means there is
/// no target resource and scratch pages come from ballooned RAM instead, as Linux does when
/// arch_xen_unpopulated_init fails.
/// </summary>
public enum ExtendedRegionStatus : byte
{
    /// <summary>The target resource is built: <see cref="ExtendedRegionSet.Resource"/> minus
    /// <see cref="ExtendedRegionSet.Holes"/> is free for scratch pages.</summary>
    Ok = 0,

    /// <summary>The hypervisor node has no region after region 0 (Linux: "No extended regions
    /// are found").</summary>
    NoRegions,

    /// <summary>More regions than <see cref="ExtendedRegionSet.Capacity"/>.</summary>
    TooManyRegions,

    /// <summary>A region starts below the one before it (guest.txt requires ascending order;
    /// Linux: -EINVAL). The pair is <see cref="ExtendedRegionSet.FirstOfPair"/> and
    /// <see cref="ExtendedRegionSet.SecondOfPair"/>.</summary>
    Disorder,

    /// <summary>Two consecutive regions overlap (Linux: regs[i - 1].end + 1 &gt; regs[i].start,
    /// -EINVAL). The pair is named as for <see cref="Disorder"/>.</summary>
    Overlap,

    /// <summary>Every region was rejected on its own (<see cref="RegionRejection"/>).</summary>
    AllRejected,

    /// <summary>The accepted regions lie wholly outside the addressable range (the clamp).</summary>
    OutsideAddressable,
}
