using GuestStub.Memory;

namespace GuestStub.Boot;

/// <summary>
/// What the boot sequence needs to know that the device tree does not say: where the tree and
/// the stub's image lie (extended regions must not overlap them, and the page allocator keeps
/// clear of them), and the addressable range scratch pages are clamped to. The guest fills it
/// from its entry registers, its link symbols and ID_AA64MMFR0_EL1
/// (<see cref="ExtendedRegions.AddressableRange.ForGuest"/>); the host from its options.
/// </summary>
public struct BootEnvironment
{
    public PhysicalRange Dtb;
    public PhysicalRange Image;
    public PhysicalRange Addressable;

    public static BootEnvironment Create(PhysicalRange dtb, PhysicalRange image, PhysicalRange addressable) =>
        new BootEnvironment { Dtb = dtb, Image = image, Addressable = addressable };
}

/// <summary>
/// A free-running counter for <see cref="ScratchBench"/>: CNTVCT_EL0 and CNTFRQ_EL0 in the
/// guest, the host's Stopwatch in the simulation. A struct, used as a generic constraint.
/// </summary>
public interface ITickSource
{
    ulong ReadTicks();

    ulong TicksPerSecond();
}
