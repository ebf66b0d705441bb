namespace GuestStub.Launch.Machine;

/// <summary>The interrupt controller QEMU virt emulates (<c>gic-version=</c>): the stub takes
/// its event-channel upcall through either.</summary>
public enum GicVersion
{
    V2 = 2,
    V3 = 3,
}
