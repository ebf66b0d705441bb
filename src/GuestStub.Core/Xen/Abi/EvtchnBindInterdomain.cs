using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct evtchn_bind_interdomain (event_channel.h), 12 bytes: bind a new local port to
/// <see cref="RemotePort"/> of <see cref="RemoteDom"/> (an unbound port allocated for the caller).</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct EvtchnBindInterdomain
{
    public const int SizeBytes = 12;
    public const int RemoteDomOffset = 0;
    public const int RemotePortOffset = 4;
    public const int LocalPortOffset = 8;

    [FieldOffset(RemoteDomOffset)] public ushort RemoteDom;
    [FieldOffset(RemotePortOffset)] public uint RemotePort;
    [FieldOffset(LocalPortOffset)] public uint LocalPort;
}
