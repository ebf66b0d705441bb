using System;
using System.Globalization;

namespace GuestStub.Launch.Domains;

/// <summary>
/// A static shared memory region of a dom0less domU (Xen's docs/misc/arm/device-tree/booting.txt,
/// "Static Shared Memory"; Xen built with CONFIG_STATIC_SHM): the region <see cref="Id"/> mapped
/// at <see cref="GuestAddress"/>, backed by host memory at <see cref="HostAddress"/>, or, when
/// that is null, by memory Xen takes from its heap (Xen 4.19 and later:
/// <c>xen,shared-mem = &lt;GUEST SIZE&gt;</c>, xen/common/device-tree/static-shmem.c
/// process_shm_node). Every domain that names the same id shares the same pages; Xen refuses two
/// ids for one range and one id for two ranges.
/// </summary>
public sealed record StaticSharedMemory(string Id, ulong? HostAddress, ulong GuestAddress, ulong SizeBytes)
{
    /// <summary>MAX_SHM_ID_LENGTH in Xen, the NUL included.</summary>
    public const int MaxIdLength = 15;

    private const ulong PageSize = 0x1000;

    /// <summary><c>role</c>: <c>"owner"</c>, <c>"borrower"</c>, or null (the default: every domain
    /// borrows, and DOMID_IO owns the pages).</summary>
    public string? Role { get; init; }

    /// <summary>
    /// The region as ImageBuilder's <c>DOMU_SHARED_MEM[i]</c> writes it:
    /// <c>"ID HOST_ADDR GUEST_ADDR SIZE"</c>, or <c>"ID GUEST_ADDR SIZE"</c> for Xen to choose the
    /// host memory; numbers in hexadecimal with <c>0x</c> or in decimal.
    /// </summary>
    public static StaticSharedMemory Parse(string text)
    {
        string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is not (3 or 4))
            throw new LaunchException($"static shared memory '{text}': expected 'ID HOST_ADDR GUEST_ADDR SIZE' or 'ID GUEST_ADDR SIZE'");
        ulong[] numbers = new ulong[words.Length - 1];
        for (int i = 1; i < words.Length; i++)
            numbers[i - 1] = Number(words[i], text);
        StaticSharedMemory region = words.Length == 4
            ? new StaticSharedMemory(words[0], numbers[0], numbers[1], numbers[2])
            : new StaticSharedMemory(words[0], null, numbers[0], numbers[1]);
        return region.Validate();
    }

    /// <summary>What Xen refuses at boot (process_shm_node), named before anything boots.</summary>
    public StaticSharedMemory Validate()
    {
        if (Id.Length is 0 or > MaxIdLength)
            throw new LaunchException($"static shared memory id '{Id}': 1 to {MaxIdLength} characters (Xen's MAX_SHM_ID_LENGTH is 16 with the NUL)");
        if (SizeBytes == 0 || SizeBytes % PageSize != 0)
            throw new LaunchException($"static shared memory '{Id}': size 0x{SizeBytes:x} must be a non-zero multiple of 4 KiB");
        Aligned("guest", GuestAddress);
        if (HostAddress is ulong host)
            Aligned("host", host);
        if (GuestAddress + SizeBytes < GuestAddress || (HostAddress is ulong h && h + SizeBytes < h))
            throw new LaunchException($"static shared memory '{Id}': the region passes the end of the address space");
        if (Role is not (null or "owner" or "borrower"))
            throw new LaunchException($"static shared memory '{Id}': role must be owner or borrower, not '{Role}'");
        return this;
    }

    /// <summary>The unit address of its node: the first address of the ImageBuilder form (the
    /// host's, or the guest's when Xen chooses the host memory).</summary>
    public ulong UnitAddress => HostAddress ?? GuestAddress;

    private void Aligned(string which, ulong address)
    {
        if (address % PageSize != 0)
            throw new LaunchException($"static shared memory '{Id}': {which} address 0x{address:x} is not 4 KiB aligned");
    }

    internal static ulong Number(string word, string text)
    {
        bool hex = word.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (ulong.TryParse(hex ? word[2..] : word, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            return value;
        throw new LaunchException($"'{text}': '{word}' is not a number (0x... or decimal)");
    }
}
