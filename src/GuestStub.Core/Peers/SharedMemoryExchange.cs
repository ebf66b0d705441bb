using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Events;
using GuestStub.Xen.Setup;

namespace GuestStub.Peers;

/// <summary>What the static shared memory exchange did.</summary>
public readonly struct SharedMemoryResult
{
    public readonly bool Ran;
    /// <summary>No static event channel to another domU was found (nothing to signal over).</summary>
    public readonly bool NoPeer;
    public readonly ushort Peer;
    public readonly uint Port;
    /// <summary>This domain wrote the request (the lower domid of the two).</summary>
    public readonly bool Initiator;
    public readonly XenFailure Failure;

    public SharedMemoryResult(bool noPeer, ushort peer, uint port, bool initiator, in XenFailure failure)
    {
        Ran = true;
        NoPeer = noPeer;
        Peer = peer;
        Port = port;
        Initiator = initiator;
        Failure = failure;
    }
}

/// <summary>
/// Two domUs that share a static memory region (the first of <see cref="SharedMemoryFacts"/>)
/// exchange data through it and signal over the static event channel Xen bound between them
/// before they ran (found by scanning the ports, <see cref="PeerDiscovery.ScanStatic"/>). The
/// lower domid is the initiator. The responder writes a ready mark in the region's last page
/// once its port is adopted (an event sent before that would be dropped,
/// <see cref="EventChannels.Adopt"/>); the initiator waits for it, writes a request (pattern,
/// then header, with a sequence) in the middle page and sends an event; the responder, on that
/// event, checks the pattern, clears its mark, writes the answer (the pattern complemented, the
/// sequence plus one) in the last page and sends an event back; the initiator checks it and
/// clears both. Each wait is bounded. Both pages are made Normal write-back memory first (the
/// region lies outside the guest's RAM, in the first GiB the guest maps as Device memory), and
/// each header is read with a fully ordered atomic, so the pattern is read after it.
/// </summary>
public static unsafe class SharedMemoryExchange
{
    /// <summary>How long one side waits for the other (each boots, and serves dom0, at its own pace).</summary>
    public const ulong BoundMs = 60_000;

    private const ulong PageBytes = 4096;
    private const uint Ready = 0x44525347;   // "GSRD"
    private const uint Request = 0x51525347; // "GSRQ"
    private const uint Answer = 0x4e415347;  // "GSAN"
    // Request at 0 of its page, ready mark and answer further into theirs: disjoint even when
    // the region is a single page.
    private const int ReadyOffset = 1024;
    private const int AnswerOffset = 2048;
    private const int PatternOffset = 64;
    private const int PatternBytes = 256;

    public static SharedMemoryResult Run<TPlatform>(ref TPlatform platform, in SharedMemoryFacts regions, in XenSetupResult xen)
        where TPlatform : struct, IXenPlatform
    {
        ref EventChannels events = ref platform.Events;
        ushort own = xen.Identity.Domid;
        var found = new PeerList();
        XenFailure f = PeerDiscovery.ScanStatic(ref platform, events, own, -1, ref found);
        int index = 0;
        while (index < found.Count && found.Domid(index) == 0)
            index++;
        if (f.IsFailure || index == found.Count)
            return new SharedMemoryResult(!f.IsFailure, 0, 0, false, f);

        ushort peer = found.Domid(index);
        uint port = found.StaticPort(index);
        bool initiator = own < peer;
        PhysicalRange region = regions.Range(0);
        // The request in the middle page rather than the first: a region Xen places over emulated
        // MMIO (the CI's guest address 0x4000000 under GICv3, static-shm.region) still shows
        // whether the rest is shared. Normal memory from there to the end.
        ulong middle = region.Start + (region.SizeBytes / 2 & ~(PageBytes - 1));
        PhysicalRange.TryFromBounds(middle, region.End, out PhysicalRange used);
        byte* requestPage = platform.Page(middle >> 12);
        byte* lastPage = platform.Page((region.End >> 12) - 1);
        bool normal = requestPage != null && lastPage != null && platform.BeginNormalAccess(used);
        f = !normal ? XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(middle >> 12) : events.Adopt(ref platform, ref platform, port);
        if (!f.IsFailure)
        {
            f = initiator
                ? Initiate(ref platform, requestPage, lastPage, own, peer, port)
                : Respond(ref platform, requestPage, lastPage, own, peer, port);
            events.Release(ref platform, port);
        }
        // Undone whether or not the port could be adopted: nothing is left as Normal memory.
        if (normal)
            platform.EndNormalAccess(used);
        return new SharedMemoryResult(false, peer, port, initiator, f);
    }

    private static XenFailure Initiate<TPlatform>(ref TPlatform platform, byte* requestPage, byte* lastPage, ushort own, ushort peer, uint port)
        where TPlatform : struct, IXenPlatform
    {
        ref EventChannels events = ref platform.Events;
        Deadline deadline = Deadline.After(ref platform, BoundMs);
        while (!IsHeader(ref platform, lastPage + ReadyOffset, Ready, peer, own, out _) && !deadline.Expired(ref platform))
            platform.Idle();
        if (!IsHeader(ref platform, lastPage + ReadyOffset, Ready, peer, own, out _))
            return XenFailure.Timeout(BoundMs).WithPort(port).WithDom(peer);

        uint sequence = (uint)platform.ReadTicks() | 1;
        Fill(requestPage + PatternOffset, sequence, own, 0);
        ulong before = events.Arrivals(port);
        WriteHeader(ref platform, requestPage, Request, own, peer, sequence);
        XenFailure f = events.Send(ref platform, port);
        if (f.IsFailure)
            return f;

        deadline = Deadline.After(ref platform, BoundMs);
        uint answered = 0;
        while (!(events.Arrivals(port) > before && IsHeader(ref platform, lastPage + AnswerOffset, Answer, peer, own, out answered)) &&
               !deadline.Expired(ref platform))
            platform.Idle();
        if (events.Arrivals(port) == before || !IsHeader(ref platform, lastPage + AnswerOffset, Answer, peer, own, out answered))
            return XenFailure.Timeout(BoundMs).WithPort(port).WithDom(peer);
        bool intact = answered == sequence + 1 && Check(lastPage + AnswerOffset + PatternOffset, sequence, own, 0xff);
        *(ulong*)(lastPage + AnswerOffset) = 0;
        *(ulong*)requestPage = 0;
        platform.WriteBarrier();
        return intact ? XenFailure.None : XenFailure.Stub(XenFailureCause.Mismatch).WithDom(peer);
    }

    private static XenFailure Respond<TPlatform>(ref TPlatform platform, byte* requestPage, byte* lastPage, ushort own, ushort peer, uint port)
        where TPlatform : struct, IXenPlatform
    {
        ref EventChannels events = ref platform.Events;
        ulong before = events.Arrivals(port);
        WriteHeader(ref platform, lastPage + ReadyOffset, Ready, own, peer, 0);

        Deadline deadline = Deadline.After(ref platform, BoundMs);
        uint sequence = 0;
        while (!(events.Arrivals(port) > before && IsHeader(ref platform, requestPage, Request, peer, own, out sequence)) &&
               !deadline.Expired(ref platform))
            platform.Idle();
        bool requested = IsHeader(ref platform, requestPage, Request, peer, own, out sequence);
        *(ulong*)(lastPage + ReadyOffset) = 0;
        if (events.Arrivals(port) == before || !requested)
        {
            platform.WriteBarrier();
            return XenFailure.Timeout(BoundMs).WithPort(port).WithDom(peer);
        }
        if (!Check(requestPage + PatternOffset, sequence, peer, 0))
        {
            platform.WriteBarrier();
            return XenFailure.Stub(XenFailureCause.Mismatch).WithDom(peer);
        }
        Fill(lastPage + AnswerOffset + PatternOffset, sequence, peer, 0xff);
        WriteHeader(ref platform, lastPage + AnswerOffset, Answer, own, peer, sequence + 1);
        return events.Send(ref platform, port);
    }

    /// <summary>The header, after a barrier so the other side sees the data before it:
    /// magic, from, to in one word, the sequence in the next.</summary>
    private static void WriteHeader<TPlatform>(ref TPlatform platform, byte* at, uint magic, ushort from, ushort to, uint sequence)
        where TPlatform : struct, IXenPlatform
    {
        *(uint*)(at + 8) = sequence;
        platform.WriteBarrier();
        platform.AtomicExchange((ulong*)at, magic | (ulong)from << 32 | (ulong)to << 48);
    }

    /// <summary>Reads the header word with a fully ordered atomic (what follows is read after it).</summary>
    private static bool IsHeader<TPlatform>(ref TPlatform platform, byte* at, uint magic, ushort from, ushort to, out uint sequence)
        where TPlatform : struct, IXenPlatform
    {
        ulong word = platform.AtomicOr((ulong*)at, 0);
        sequence = *(uint*)(at + 8);
        return word == (magic | (ulong)from << 32 | (ulong)to << 48);
    }

    private static void Fill(byte* pattern, uint sequence, ushort from, byte flip)
    {
        for (int i = 0; i < PatternBytes; i++)
            pattern[i] = (byte)(Expected(i, sequence, from) ^ flip);
    }

    private static bool Check(byte* pattern, uint sequence, ushort from, byte flip)
    {
        for (int i = 0; i < PatternBytes; i++)
            if (pattern[i] != (byte)(Expected(i, sequence, from) ^ flip))
                return false;
        return true;
    }

    private static uint Expected(int i, uint sequence, ushort from) => (uint)i * 7 + sequence * 31 + from;
}
