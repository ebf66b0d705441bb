using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct evtchn_send, evtchn_close and evtchn_unmask (event_channel.h), 4 bytes each:
/// just the port.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct EvtchnPort
{
    public const int SizeBytes = 4;
    public const int PortOffset = 0;

    [FieldOffset(PortOffset)] public uint Port;
}
