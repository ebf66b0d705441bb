using GuestStub.Memory;

namespace GuestStub.Platform;

/// <summary>
/// What the boot pipeline needs to know that the device tree does not say: where the tree and
/// the stub's image lie (extended regions must not overlap them, and the page allocator keeps
/// clear of them), and the addressable range scratch pages are clamped to. The guest fills it
/// from its entry registers, its link symbols and ID_AA64MMFR0_EL1
/// (<see cref="AddressableRange.ForGuest"/>); the host from its options.
/// </summary>
public readonly struct BootEnvironment
{
    public readonly PhysicalRange Dtb;
    public readonly PhysicalRange Image;
    public readonly PhysicalRange Addressable;

    public BootEnvironment(PhysicalRange dtb, PhysicalRange image, PhysicalRange addressable)
    {
        Dtb = dtb;
        Image = image;
        Addressable = addressable;
    }
}
