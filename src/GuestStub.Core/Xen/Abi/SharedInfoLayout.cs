namespace GuestStub.Xen.Abi;

/// <summary>
/// The parts of struct shared_info and struct vcpu_info (xen.h, arch-arm.h) the 2-level
/// event-channel ABI uses, on Arm: xen_ulong_t is 64 bits, there is no evtchn_upcall_mask
/// (XEN_HAVE_PV_UPCALL_MASK is x86's), struct arch_vcpu_info is empty, so vcpu_info is
/// upcall_pending (u8 at 0), pad, evtchn_pending_sel (u64 at 8), vcpu_time_info (32 bytes at 16):
/// 48 bytes. shared_info holds XEN_LEGACY_MAX_VCPUS = 1 vcpu_info (vCPU 0's), then the pending
/// and mask bitmaps of 64 words each: 4096 ports.
/// </summary>
public static class SharedInfoLayout
{
    public const int VcpuInfoSize = 48;
    public const int UpcallPendingOffset = 0;
    public const int PendingSelOffset = 8;

    public const int EvtchnPendingOffset = VcpuInfoSize;
    public const int WordBits = 64;
    public const int Words = WordBits;
    public const int EvtchnMaskOffset = EvtchnPendingOffset + Words * sizeof(ulong);

    /// <summary>Ports the 2-level ABI addresses on a 64-bit guest (EVTCHN_2L_NR_CHANNELS).</summary>
    public const uint Ports = Words * WordBits;
}
