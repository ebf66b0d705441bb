namespace GuestStub.Launch.Domains;

/// <summary>
/// Where <c>gueststub run --static-shm</c> and <c>--static-mem</c> put their regions, written
/// once. The shared region is Xen's own CI's (automation/scripts/qemu-smoke-dom0less-arm64.sh,
/// the static-shared-mem test: <c>my-shared-mem-0</c>, host 0x50000000, guest 0x4000000,
/// 256 MiB, in two domUs); the static banks follow it, one per domU. Both lie in QEMU virt's
/// RAM above the images of up to six domUs (<see cref="ModuleAddresses"/>; BootShape refuses
/// more with the region at its host address) and need the machine's
/// 2 GiB (the CI's <c>-m 2048</c>; <see cref="MachineBytes"/>), so Xen's heap keeps room for
/// dom0, the domUs that are not static, and a region Xen allocates itself.
/// </summary>
public static class StaticLayout
{
    public const string SharedMemoryId = "my-shared-mem-0";
    public const ulong SharedMemoryHost = 0x5000_0000;
    public const ulong SharedMemoryGuest = 0x0400_0000;
    public const ulong SharedMemorySize = 0x1000_0000;

    /// <summary>domU 1's static memory; domU i's follows domU i-1's.</summary>
    public const ulong FirstStaticBank = 0x6000_0000;

    /// <summary>The machine memory these layouts ask for when the user gives none.</summary>
    public const ulong MachineBytes = 2UL << 30;

    /// <summary>The region two domUs share; <paramref name="xenChoosesHost"/>: no host address,
    /// Xen takes the memory from its heap (Xen 4.19 and later).</summary>
    public static StaticSharedMemory SharedRegion(bool xenChoosesHost) =>
        new(SharedMemoryId, xenChoosesHost ? null : SharedMemoryHost, SharedMemoryGuest, SharedMemorySize);

    /// <summary>domU <paramref name="index"/>'s static bank of <paramref name="sizeBytes"/>.</summary>
    public static StaticMemoryBank Bank(int index, ulong sizeBytes) => new(FirstStaticBank + (ulong)(index - 1) * sizeBytes, sizeBytes);
}
