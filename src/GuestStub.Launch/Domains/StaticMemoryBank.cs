using System;
using System.Collections.Generic;
using System.Linq;

namespace GuestStub.Launch.Domains;

/// <summary>
/// A bank of host memory given to one domU alone (booting.txt, "Static Allocation", Xen built
/// with CONFIG_STATIC_MEMORY): <c>xen,static-mem</c> in its <c>xen,domain</c> node. Xen reserves
/// the bank at boot (it is never in its heap) and maps it at the usual guest RAM addresses, or,
/// with <c>direct-map</c>, at the same address (<see cref="GuestBanks"/>).
/// </summary>
public sealed record StaticMemoryBank(ulong HostAddress, ulong SizeBytes)
{
    /// <summary>GUEST_RAM0_BASE and GUEST_RAM0_SIZE, GUEST_RAM1_BASE and GUEST_RAM1_SIZE of
    /// xen/include/public/arch-arm.h (unchanged from 4.17 to 4.22).</summary>
    private static readonly (ulong Base, ulong Size)[] GuestRamBanks = { (0x4000_0000, 0xC000_0000), (0x02_0000_0000, 0xFE_0000_0000) };

    private const ulong PageSize = 0x1000;

    /// <summary>Banks as ImageBuilder's <c>DOMU_STATIC_MEM[i]</c> writes them: <c>"ADDR SIZE [ADDR SIZE]..."</c>.</summary>
    public static IReadOnlyList<StaticMemoryBank> ParseList(string text)
    {
        string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words.Length % 2 != 0)
            throw new LaunchException($"static memory '{text}': expected pairs 'HOST_ADDR SIZE'");
        var banks = new List<StaticMemoryBank>();
        for (int i = 0; i < words.Length; i += 2)
            banks.Add(new StaticMemoryBank(StaticSharedMemory.Number(words[i], text), StaticSharedMemory.Number(words[i + 1], text)).Validate());
        return banks;
    }

    public StaticMemoryBank Validate()
    {
        if (SizeBytes == 0 || SizeBytes % PageSize != 0 || HostAddress % PageSize != 0 || HostAddress + SizeBytes < HostAddress)
            throw new LaunchException($"static memory bank 0x{HostAddress:x}+0x{SizeBytes:x}: address and size must be 4 KiB aligned, the size non-zero");
        return this;
    }

    /// <summary>
    /// Where the domU finds the banks: direct-mapped, at their host addresses, one for one
    /// (assign_static_memory_11); otherwise filled in order into GUEST_RAM0 and then GUEST_RAM1
    /// (allocate_static_memory, xen/common/device-tree/static-memory.c), contiguous in each.
    /// </summary>
    public static IReadOnlyList<(ulong Address, ulong SizeBytes)> GuestBanks(IReadOnlyList<StaticMemoryBank> banks, bool directMap)
    {
        if (directMap)
            return banks.Select(b => (b.HostAddress, b.SizeBytes)).ToList();
        var guest = new List<(ulong, ulong)>();
        ulong left = banks.Aggregate(0UL, (sum, b) => sum + b.SizeBytes);
        foreach ((ulong @base, ulong size) in GuestRamBanks)
        {
            if (left == 0)
                break;
            ulong used = Math.Min(left, size);
            guest.Add((@base, used));
            left -= used;
        }
        return guest;
    }
}
