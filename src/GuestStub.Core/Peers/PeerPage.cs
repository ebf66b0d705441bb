using System.Threading;
using GuestStub.Memory;

namespace GuestStub.Peers;

/// <summary>
/// The page a frontend shares with dom0, in place of xenstore: a header the frontend writes,
/// then a pattern, and one word the backend answers in. Little-endian, offsets fixed:
/// <code>
///   0x00 u32 magic "GSXF"      0x04 u16 version     0x06 u16 the frontend's domid
///   0x08 u32 grant ref         0x0C u32 event-channel port for dom0
///   0x10 u64 the page's own gfn (the backend's foreign map reads it there too)
///   0x18 u32 reply "RPLY" from the backend      0x1C u16 the backend's domid
///   0x40 .. 0x1000: pattern, byte i = i * 31 + domid (mod 256)
/// </code>
/// The frontend grants it at <see cref="FrontendRef"/>, the documented grant ref a backend that
/// knows no xenstore looks for.
/// </summary>
public static unsafe class PeerPage
{
    public const uint Magic = 0x4658_5347; // "GSXF"
    public const ushort Version = 1;
    public const uint ReplyMagic = 0x594C_5052; // "RPLY"

    /// <summary>The frontend's grant ref: the first after the grant self-test's (8).</summary>
    public const uint FrontendRef = 9;

    /// <summary>A ref no frontend grants: the backend maps it to show Xen refuses.</summary>
    public const uint UngrantedRef = 10;

    private const int MagicOffset = 0x00;
    private const int VersionOffset = 0x04;
    private const int DomidOffset = 0x06;
    private const int GrantRefOffset = 0x08;
    private const int PortOffset = 0x0C;
    private const int GfnOffset = 0x10;
    private const int ReplyOffset = 0x18;
    private const int ReplyFromOffset = 0x1C;
    private const int PatternOffset = 0x40;
    private const int PageBytes = (int)PageSize.Bytes;

    /// <summary>The frontend's side: the header and the pattern, the reply cleared.</summary>
    public static void Write(byte* page, ushort domid, uint port, ulong gfn)
    {
        *(uint*)(page + MagicOffset) = Magic;
        *(ushort*)(page + VersionOffset) = Version;
        *(ushort*)(page + DomidOffset) = domid;
        *(uint*)(page + GrantRefOffset) = FrontendRef;
        *(uint*)(page + PortOffset) = port;
        *(ulong*)(page + GfnOffset) = gfn;
        *(uint*)(page + ReplyOffset) = 0;
        *(ushort*)(page + ReplyFromOffset) = 0;
        for (int i = PatternOffset; i < PageBytes; i++)
            page[i] = PatternByte(i, domid);
    }

    /// <summary>The backend's check of a mapping: a header from <paramref name="domid"/> and the
    /// whole pattern intact.</summary>
    public static bool IsIntact(byte* page, ushort domid)
    {
        if (*(uint*)(page + MagicOffset) != Magic || *(ushort*)(page + VersionOffset) != Version ||
            *(ushort*)(page + DomidOffset) != domid || *(uint*)(page + GrantRefOffset) != FrontendRef)
            return false;
        for (int i = PatternOffset; i < PageBytes; i++)
            if (page[i] != PatternByte(i, domid))
                return false;
        return true;
    }

    public static uint Port(byte* page) => *(uint*)(page + PortOffset);

    public static ulong Gfn(byte* page) => *(ulong*)(page + GfnOffset);

    /// <summary>The backend's answer, written through its mapping.</summary>
    public static void Reply(byte* page, ushort backendDomid)
    {
        *(ushort*)(page + ReplyFromOffset) = backendDomid;
        Volatile.Write(ref *(uint*)(page + ReplyOffset), ReplyMagic);
    }

    public static bool HasReply(byte* page) => Volatile.Read(ref *(uint*)(page + ReplyOffset)) == ReplyMagic;

    private static byte PatternByte(int offset, ushort domid) => (byte)(offset * 31 + domid);
}
