using System.Threading;
using GuestStub.Memory;
using GuestStub.Peers;

namespace GuestStub.GuestTests;

/// <summary>
/// The page the mapping benchmark's peer (a domU, <see cref="MapPeer"/>) grants dom0
/// (<see cref="MapBench"/>) at <see cref="Ref"/>, in place of xenstore: what it offers and where.
/// Little-endian, offsets fixed:
/// <code>
///   0x00 u32 magic "GSMP"   0x04 u16 version      0x06 u16 the peer's domid
///   0x08 u32 ping port      0x0C u32 control port (both unbound ports for dom0)
///   0x10 u32 first data ref 0x14 u32 data grants (refs first..first+n-1, one page each)
///   0x18 u64 the data pages' first gfn (one run)
///   0x20 u32 command from dom0 (0 none, 1 done)   0x24 u32 RAM banks (at most 2)
///   0x28 (u64 first gfn, u64 pages) x 2: the peer's RAM
///   0x48 u32 pattern ranges (at most 16)
///   0x50 (u64 first gfn, u64 pages) x 16: every page the peer wrote the pattern into
/// </code>
/// The pattern is two words per page, the first and the last, both from the page's gfn and the
/// peer's domid (<see cref="FirstWord"/>, <see cref="LastWord"/>): a mapping of the wrong frame,
/// or of none, reads differently.
/// </summary>
internal static unsafe class MapControlPage
{
    public const uint Magic = 0x504D_5347; // "GSMP"
    public const ushort Version = 1;

    /// <summary>The documented ref a backend without xenstore looks for (the cross-domain proof's too).</summary>
    public const uint Ref = PeerPage.FrontendRef;

    public const uint CommandDone = 1;
    public const int MaxRamBanks = 2;
    public const int MaxPatternRanges = 16;

    private const int MagicOffset = 0x00;
    private const int VersionOffset = 0x04;
    private const int DomidOffset = 0x06;
    private const int PingPortOffset = 0x08;
    private const int ControlPortOffset = 0x0C;
    private const int FirstDataRefOffset = 0x10;
    private const int DataGrantsOffset = 0x14;
    private const int DataGfnOffset = 0x18;
    private const int CommandOffset = 0x20;
    private const int RamBanksOffset = 0x24;
    private const int RamOffset = 0x28;
    private const int PatternCountOffset = RamOffset + MaxRamBanks * RangeBytes;
    private const int PatternOffset = PatternCountOffset + 8;
    private const int RangeBytes = 16;
    private const int LastWordOffset = (int)PageSize.Bytes - 8;

    public static ulong FirstWord(ushort domid, ulong gfn) => 0x4753_0000_0000_0000UL | ((ulong)domid << 36) | (gfn & 0xF_FFFF_FFFFUL);

    public static ulong LastWord(ushort domid, ulong gfn) => ~FirstWord(domid, gfn);

    /// <summary>The peer's side: the pattern into <paramref name="pages"/> pages from
    /// <paramref name="gfn"/>, reached at <paramref name="first"/>.</summary>
    public static void WritePattern(byte* first, ushort domid, ulong gfn, ulong pages)
    {
        for (ulong i = 0; i < pages; i++)
        {
            byte* page = first + (i << PageSize.Shift);
            *(ulong*)page = FirstWord(domid, gfn + i);
            *(ulong*)(page + LastWordOffset) = LastWord(domid, gfn + i);
        }
    }

    /// <summary>dom0's check of one mapped page: the pattern of frame <paramref name="gfn"/>.</summary>
    public static bool HasPattern(byte* page, ushort domid, ulong gfn) =>
        *(ulong*)page == FirstWord(domid, gfn) && *(ulong*)(page + LastWordOffset) == LastWord(domid, gfn);

    public static void WriteHeader(byte* page, ushort domid, uint pingPort, uint controlPort, uint firstDataRef, uint dataGrants, ulong dataGfn)
    {
        new System.Span<byte>(page, (int)PageSize.Bytes).Clear();
        *(uint*)(page + MagicOffset) = Magic;
        *(ushort*)(page + VersionOffset) = Version;
        *(ushort*)(page + DomidOffset) = domid;
        *(uint*)(page + PingPortOffset) = pingPort;
        *(uint*)(page + ControlPortOffset) = controlPort;
        *(uint*)(page + FirstDataRefOffset) = firstDataRef;
        *(uint*)(page + DataGrantsOffset) = dataGrants;
        *(ulong*)(page + DataGfnOffset) = dataGfn;
    }

    public static bool AddRamBank(byte* page, ulong gfn, ulong pages) => AddRange(page, RamBanksOffset, RamOffset, MaxRamBanks, gfn, pages);

    public static bool AddPatternRange(byte* page, ulong gfn, ulong pages) =>
        AddRange(page, PatternCountOffset, PatternOffset, MaxPatternRanges, gfn, pages);

    private static bool AddRange(byte* page, int countOffset, int rangesOffset, int max, ulong gfn, ulong pages)
    {
        uint n = *(uint*)(page + countOffset);
        if (n >= (uint)max)
            return false;
        *(ulong*)(page + rangesOffset + n * RangeBytes) = gfn;
        *(ulong*)(page + rangesOffset + n * RangeBytes + 8) = pages;
        *(uint*)(page + countOffset) = n + 1;
        return true;
    }

    public static bool IsValid(byte* page, ushort domid) =>
        *(uint*)(page + MagicOffset) == Magic && *(ushort*)(page + VersionOffset) == Version && *(ushort*)(page + DomidOffset) == domid &&
        *(uint*)(page + RamBanksOffset) <= MaxRamBanks && *(uint*)(page + PatternCountOffset) <= MaxPatternRanges;

    public static uint PingPort(byte* page) => *(uint*)(page + PingPortOffset);
    public static uint ControlPort(byte* page) => *(uint*)(page + ControlPortOffset);
    public static uint FirstDataRef(byte* page) => *(uint*)(page + FirstDataRefOffset);
    public static uint DataGrants(byte* page) => *(uint*)(page + DataGrantsOffset);
    public static ulong DataGfn(byte* page) => *(ulong*)(page + DataGfnOffset);

    public static int RamBanks(byte* page) => (int)*(uint*)(page + RamBanksOffset);
    public static ulong RamGfn(byte* page, int i) => *(ulong*)(page + RamOffset + i * RangeBytes);
    public static ulong RamPages(byte* page, int i) => *(ulong*)(page + RamOffset + i * RangeBytes + 8);

    public static int PatternRanges(byte* page) => (int)*(uint*)(page + PatternCountOffset);
    public static ulong PatternGfn(byte* page, int i) => *(ulong*)(page + PatternOffset + i * RangeBytes);
    public static ulong PatternPages(byte* page, int i) => *(ulong*)(page + PatternOffset + i * RangeBytes + 8);

    public static void SetCommand(byte* page, uint command) => Volatile.Write(ref *(uint*)(page + CommandOffset), command);

    public static uint Command(byte* page) => Volatile.Read(ref *(uint*)(page + CommandOffset));
}
