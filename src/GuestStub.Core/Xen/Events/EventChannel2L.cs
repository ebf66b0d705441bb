using System.Numerics;
using System.Threading;
using GuestStub.Memory;
using GuestStub.Xen.Abi;

namespace GuestStub.Xen.Events;

/// <summary>What one upcall found (Linux evtchn_2l_handle_events).</summary>
public interface IEventSink
{
    /// <summary>Port <paramref name="port"/> was pending and unmasked; its pending bit is cleared.</summary>
    void OnEvent(uint port);
}

/// <summary>
/// The 2-level event-channel ABI (xen/include/public/xen.h struct shared_info and vcpu_info;
/// Linux drivers/xen/events/events_2l.c): one pending and one mask bit per port in shared_info,
/// and in vCPU 0's vcpu_info a selector of pending words and the upcall flag. Xen sets bits
/// concurrently from other physical CPUs, so every read-modify-write is atomic
/// (<see cref="IGuestMemory"/>'s atomics). This is the ABI alone: who is bound to which port is
/// <see cref="EventChannels"/>'s business.
/// </summary>
public static unsafe class EventChannel2L
{
    private static ulong* PendingWords(byte* sharedInfo) => (ulong*)(sharedInfo + SharedInfoLayout.EvtchnPendingOffset);

    private static ulong* MaskWords(byte* sharedInfo) => (ulong*)(sharedInfo + SharedInfoLayout.EvtchnMaskOffset);

    private static ulong Bit(uint port) => 1UL << (int)(port % SharedInfoLayout.WordBits);

    private static uint Word(uint port) => port / SharedInfoLayout.WordBits;

    /// <summary>Masks every port (Linux xen_evtchn_mask_all): only ports the stub binds are
    /// unmasked again, so an event on anything else never raises the upcall.</summary>
    public static void MaskAll(byte* sharedInfo)
    {
        ulong* mask = MaskWords(sharedInfo);
        for (int w = 0; w < SharedInfoLayout.Words; w++)
            Volatile.Write(ref mask[w], ulong.MaxValue);
    }

    public static void Mask<TMem>(ref TMem mem, byte* sharedInfo, uint port) where TMem : struct, IGuestMemory =>
        mem.AtomicOr(&MaskWords(sharedInfo)[Word(port)], Bit(port));

    /// <summary>
    /// Clears the port's mask bit. When the port is pending already (an event that came while it
    /// was masked: no upcall was raised for it, and Xen raises none for the next one either, as
    /// it only signals a pending bit going from 0 to 1) the mask is set again and true returned:
    /// the caller must unmask with EVTCHNOP_unmask, which clears the mask itself and raises the
    /// upcall, as Linux evtchn_2l_unmask does for an HVM guest. Clearing the bit here and then
    /// calling EVTCHNOP_unmask would raise nothing (Xen's evtchn_2l_unmask acts only when it
    /// clears the mask bit), leaving the port pending and deaf for good.
    /// </summary>
    public static bool Unmask<TMem>(ref TMem mem, byte* sharedInfo, uint port) where TMem : struct, IGuestMemory
    {
        mem.AtomicAndNot(&MaskWords(sharedInfo)[Word(port)], Bit(port));
        if ((Volatile.Read(ref PendingWords(sharedInfo)[Word(port)]) & Bit(port)) == 0)
            return false;
        mem.AtomicOr(&MaskWords(sharedInfo)[Word(port)], Bit(port));
        return true;
    }

    /// <summary>Clears the port's pending bit; true when it was set (Linux clear_evtchn).</summary>
    public static bool ClearPending<TMem>(ref TMem mem, byte* sharedInfo, uint port) where TMem : struct, IGuestMemory =>
        (mem.AtomicAndNot(&PendingWords(sharedInfo)[Word(port)], Bit(port)) & Bit(port)) != 0;

    public static bool IsPending(byte* sharedInfo, uint port) =>
        (Volatile.Read(ref PendingWords(sharedInfo)[Word(port)]) & Bit(port)) != 0;

    public static bool IsMasked(byte* sharedInfo, uint port) =>
        (Volatile.Read(ref MaskWords(sharedInfo)[Word(port)]) & Bit(port)) != 0;

    /// <summary>vCPU 0's evtchn_upcall_pending: Xen holds the upcall interrupt asserted while it is set.</summary>
    public static bool IsUpcallPending(byte* sharedInfo) =>
        Volatile.Read(ref sharedInfo[SharedInfoLayout.UpcallPendingOffset]) != 0;

    /// <summary>
    /// One upcall, as Linux's evtchn_2l_handle_events: clear evtchn_upcall_pending first (Xen
    /// sets it again for anything that arrives from now on), take the selector of pending words
    /// atomically, and for each port pending and not masked clear its pending bit and hand it to
    /// <paramref name="sink"/>. Bounded: at most every port once. Returns how many ports it handed.
    /// </summary>
    public static int Scan<TMem, TSink>(ref TMem mem, byte* sharedInfo, ref TSink sink)
        where TMem : struct, IGuestMemory where TSink : struct, IEventSink
    {
        Volatile.Write(ref sharedInfo[SharedInfoLayout.UpcallPendingOffset], (byte)0);
        mem.WriteBarrier();
        ulong selector = mem.AtomicExchange((ulong*)(sharedInfo + SharedInfoLayout.PendingSelOffset), 0);
        ulong* pending = PendingWords(sharedInfo);
        ulong* mask = MaskWords(sharedInfo);
        int handed = 0;
        while (selector != 0)
        {
            int word = BitOperations.TrailingZeroCount(selector);
            selector &= selector - 1;
            ulong ready = Volatile.Read(ref pending[word]) & ~Volatile.Read(ref mask[word]);
            while (ready != 0)
            {
                int bit = BitOperations.TrailingZeroCount(ready);
                ready &= ready - 1;
                uint port = (uint)(word * SharedInfoLayout.WordBits + bit);
                if (ClearPending(ref mem, sharedInfo, port))
                {
                    sink.OnEvent(port);
                    handed++;
                }
            }
        }
        return handed;
    }
}
