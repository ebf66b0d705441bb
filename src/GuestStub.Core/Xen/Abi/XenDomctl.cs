using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>
/// struct xen_domctl (domctl.h, Xen 4.17: XEN_DOMCTL_INTERFACE_VERSION 0x15), 144 bytes: cmd,
/// interface_version, domain, then a union of 128 bytes at 16. Only what
/// XEN_DOMCTL_getdomaininfo returns that the stub reads is named: the domain found (the first
/// with an id at or above the one asked, in Xen 4.17 common/domctl.c) and its XEN_DOMINF_* flags.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct XenDomctl
{
    public const int SizeBytes = 144;
    public const int CmdOffset = 0;
    public const int InterfaceVersionOffset = 4;
    public const int DomainOffset = 8;
    public const int UnionOffset = 16;
    public const int InfoDomainOffset = UnionOffset + 0;
    public const int InfoFlagsOffset = UnionOffset + 4;
    public const int InfoTotPagesOffset = UnionOffset + 8;

    public const uint InterfaceVersion = 0x15;
    public const uint GetDomainInfo = 5;

    /// <summary>XEN_DOMINF_*: the domain is dying; it has shut down (the reason in bits 16-23).</summary>
    public const uint DominfDying = 1u << 0;
    public const uint DominfShutdown = 1u << 2;
    public const int DominfShutdownShift = 16;

    [FieldOffset(CmdOffset)] public uint Cmd;
    [FieldOffset(InterfaceVersionOffset)] public uint Version;
    [FieldOffset(DomainOffset)] public ushort Domain;
    [FieldOffset(InfoDomainOffset)] public ushort InfoDomain;
    [FieldOffset(InfoFlagsOffset)] public uint InfoFlags;
    [FieldOffset(InfoTotPagesOffset)] public ulong InfoTotPages;
}
