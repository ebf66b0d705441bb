using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct evtchn_alloc_unbound (event_channel.h), 8 bytes: allocate a port in
/// <see cref="Dom"/> that <see cref="RemoteDom"/> may bind to; Xen returns it in <see cref="Port"/>.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct EvtchnAllocUnbound
{
    public const int SizeBytes = 8;
    public const int DomOffset = 0;
    public const int RemoteDomOffset = 2;
    public const int PortOffset = 4;

    [FieldOffset(DomOffset)] public ushort Dom;
    [FieldOffset(RemoteDomOffset)] public ushort RemoteDom;
    [FieldOffset(PortOffset)] public uint Port;
}
