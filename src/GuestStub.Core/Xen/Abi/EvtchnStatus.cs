using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct evtchn_status (event_channel.h), 24 bytes: the state of <see cref="Port"/> of
/// <see cref="Dom"/>; the union at 16 holds the remote end (unbound.dom, or interdomain.dom and
/// interdomain.port).</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct EvtchnStatus
{
    public const int SizeBytes = 24;
    public const int DomOffset = 0;
    public const int PortOffset = 4;
    public const int StatusOffset = 8;
    public const int VcpuOffset = 12;
    public const int RemoteDomOffset = 16;
    public const int RemotePortOffset = 20;

    /// <summary>EVTCHNSTAT_*: the port's state.</summary>
    public const uint Closed = 0;
    public const uint Unbound = 1;
    public const uint Interdomain = 2;
    public const uint Pirq = 3;
    public const uint Virq = 4;
    public const uint Ipi = 5;

    [FieldOffset(DomOffset)] public ushort Dom;
    [FieldOffset(PortOffset)] public uint Port;
    [FieldOffset(StatusOffset)] public uint Status;
    [FieldOffset(VcpuOffset)] public uint Vcpu;
    /// <summary>u.unbound.dom (the domain allowed to bind) or u.interdomain.dom.</summary>
    [FieldOffset(RemoteDomOffset)] public ushort RemoteDom;
    /// <summary>u.interdomain.port.</summary>
    [FieldOffset(RemotePortOffset)] public uint RemotePort;
}
