using GuestStub.Memory;

namespace GuestStub.Guest;

/// <summary>
/// Edits the attributes of the identity map's first GiB, which native/head.S maps as 2 MiB
/// Device-nGnRE blocks in <c>idmap_l2_low</c> (QEMU virt puts every device there). Memory the
/// stub shares with Xen must be Normal write-back (shared/PLATFORM.md), and a dom0less domU's
/// region 0 (0x38000000) lies in that GiB: <see cref="BeginNormal"/> remaps the blocks a range
/// touches as Normal, <see cref="EndNormal"/> restores Device once no user is left (a per-block
/// count, so overlapping users are safe) and then cleans the caches over the block. Each change is
/// a break-before-make with TLB maintenance (native/cpu.S gueststub_idmap_set_block). Above the
/// first GiB everything is already Normal (1 GiB blocks) and nothing changes.
/// </summary>
internal static unsafe class IdentityMap
{
    private const int BlockShift = 21;
    private const ulong BlockSize = 1UL << BlockShift;
    private const ulong LowLimit = 1UL << 30;
    /// <summary>The identity map's reach (TCR_EL1.T0SZ = 64 - 39): Core's one definition.</summary>
    internal const ulong Limit = AddressableRange.StubMappingLimit;

    // Descriptor bits (native/sysregs.h): block, AttrIndx, SH, AF, PXN/UXN.
    private const ulong TypeBlock = 0x1;
    private const ulong AttrDeviceNgnre = 1UL << 2;
    private const ulong AttrNormalWb = 2UL << 2;
    private const ulong AttrIndexMask = 7UL << 2;
    private const ulong ShareInner = 3UL << 8;
    private const ulong AccessFlag = 1UL << 10;
    private const ulong NeverExecute = (1UL << 53) | (1UL << 54);
    private const ulong DeviceBlock = TypeBlock | AttrDeviceNgnre | AccessFlag | NeverExecute;
    private const ulong NormalBlock = TypeBlock | AttrNormalWb | ShareInner | AccessFlag | NeverExecute;

    private struct BlockUsers
    {
        public fixed byte Count[512];
    }

    private static BlockUsers s_users;

    /// <summary>True when <paramref name="range"/> is reachable and now Normal memory.</summary>
    internal static bool BeginNormal(PhysicalRange range)
    {
        if (range.IsEmpty || range.End > Limit)
            return false;
        if (range.Start >= LowLimit)
            return true;
        ulong first = range.Start >> BlockShift;
        ulong last = (Min(range.End, LowLimit) - 1) >> BlockShift;
        for (ulong b = first; b <= last; b++)
            if (s_users.Count[b] == byte.MaxValue)
                return false;
        ulong* table = Native.IdmapL2Low();
        for (ulong b = first; b <= last; b++)
        {
            if (s_users.Count[b]++ == 0)
            {
                ulong descriptor = (table[b] & ~AttrIndexMask & ~ShareInner) | NormalBlock;
                Native.IdmapSetBlock(&table[b], descriptor, b << BlockShift);
            }
        }
        return true;
    }

    /// <summary>Undoes one <see cref="BeginNormal"/> of the same range.</summary>
    internal static void EndNormal(PhysicalRange range)
    {
        if (range.IsEmpty || range.End > Limit || range.Start >= LowLimit)
            return;
        ulong end = Min(range.End, LowLimit);
        ulong* table = Native.IdmapL2Low();
        for (ulong b = range.Start >> BlockShift; b <= (end - 1) >> BlockShift; b++)
        {
            if (s_users.Count[b] == 0)
                continue;
            if (--s_users.Count[b] == 0)
            {
                ulong block = b << BlockShift;
                Native.IdmapSetBlock(&table[b], block | DeviceBlock, block);
                // Only now, with no cacheable mapping left to refill them (Device memory is never
                // read speculatively), write back and drop the block's lines: dirty data reaches
                // memory and no stale line outlives the mapping. Cleaning before the switch would
                // leave a window for speculative fills. Maintenance by VA works on any memory type.
                Native.DcacheCleanInvalRange(block, block + BlockSize);
            }
        }
    }

    private static ulong Min(ulong a, ulong b) => a < b ? a : b;
}
