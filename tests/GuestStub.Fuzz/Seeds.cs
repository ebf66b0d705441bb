using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace GuestStub.Fuzz;

/// <summary>
/// Seeds that are not files in the repository: the raw-word form of the <c>regions</c> target
/// (see <see cref="RegionsTarget"/>). The campaign (<see cref="AflCampaign"/>) adds the fixture DTBs for <c>dtb</c> and
/// <c>regions</c> and the linked guest ELF for <c>elf</c>.
/// </summary>
internal static class Seeds
{
    public static int Write(string target, string directory)
    {
        Directory.CreateDirectory(directory);
        if (target != "regions")
            return 0;
        // Xen 4.17 dom0, -m 1G dom0_mem=128M (shared/PLATFORM.md): RAM 0x70000000-0x78000000,
        // region 0 at 0x40200000, regions 0x40400000-0x70000000 and 0x78000000-0x80000000.
        File.WriteAllBytes(Path.Combine(directory, "raw-dom0"), Words(1, 0, new ulong[]
        {
            1UL << 39, 0, 0x77e00000, 0x2000, 0x70080000, 0x39000, 0x70000000, 0x8000000,
            0x40200000, 0x40000, 0x40400000, 0x2fc00000, 0x78000000, 0x8000000,
        }));
        // The patch review's worked example (ten regions, holes), with a reserved range and a
        // region ending past 2^64.
        File.WriteAllBytes(Path.Combine(directory, "raw-worked-example"), Words(1, 1, new ulong[]
        {
            0x800040000000, 0, 0x48000000, 0x1000, 0x40080000, 0x20000, 0x40000000, 0x8000000, 0xe6000000, 0x1000000,
            0x38000000, 0x1000000, 0x0, 0x8000000, 0xc000000, 0x24000000, 0x40000000, 0x7e00000, 0xd0000000, 0x16000000,
            0xe7800000, 0x4800000, 0xf1200000, 0xbe00000, 0x100000000, 0x400000000, 0x580000000, 0x80000000,
            0x680000000, 0x80000000, 0x780000000, 0xf880000000, 0xffffffffffe00000, 0x400000,
        }));
        return 2;
    }

    private static byte[] Words(byte ramCount, byte reservedCount, ulong[] words)
    {
        var bytes = new List<byte> { ramCount, reservedCount };
        byte[] word = new byte[8];
        foreach (ulong w in words)
        {
            BinaryPrimitives.WriteUInt64BigEndian(word, w);
            bytes.AddRange(word);
        }
        return bytes.ToArray();
    }
}
