using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>
/// struct xen_domctl (public/domctl.h, the same layout from Xen 4.15 to 4.22), 144 bytes: cmd,
/// interface_version (<see cref="XenInterfaces"/> chooses it by release), domain, then a union
/// of 128 bytes at 16. Only what the stub reads is named: for XEN_DOMCTL_getdomaininfo the
/// domain the answer is about and its XEN_DOMINF_* flags; for XEN_DOMCTL_get_domain_state
/// (4.21+, stable: interface version 0) its XEN_DOMCTL_GETDOMSTATE_STATE_* bits and pad0,
/// which must be 0 on input.
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
    public const int StateOffset = UnionOffset + 0;
    public const int StateCapsOffset = UnionOffset + 2;
    public const int StatePad0Offset = UnionOffset + 4;
    public const int StateUniqueIdOffset = UnionOffset + 8;

    public const uint GetDomainInfo = 5;
    public const uint GetDomainState = 90;

    /// <summary>The interface version of the stable commands (is_stable_domctl).</summary>
    public const byte StableInterfaceVersion = 0;

    /// <summary>XEN_DOMINF_*: the domain is dying; it has shut down (the reason in bits 16-23).</summary>
    public const uint DominfDying = 1u << 0;
    public const uint DominfShutdown = 1u << 2;
    public const int DominfShutdownShift = 16;

    /// <summary>XEN_DOMCTL_GETDOMSTATE_STATE_*: exists; shutdown finished; dying; dead.</summary>
    public const ushort StateExist = 0x0001;
    public const ushort StateShutdown = 0x0002;
    public const ushort StateDying = 0x0004;
    public const ushort StateDead = 0x0008;

    [FieldOffset(CmdOffset)] public uint Cmd;
    [FieldOffset(InterfaceVersionOffset)] public uint Version;
    [FieldOffset(DomainOffset)] public ushort Domain;
    [FieldOffset(InfoDomainOffset)] public ushort InfoDomain;
    [FieldOffset(InfoFlagsOffset)] public uint InfoFlags;
    [FieldOffset(InfoTotPagesOffset)] public ulong InfoTotPages;
    [FieldOffset(StateOffset)] public ushort State;
    [FieldOffset(StateCapsOffset)] public ushort StateCaps;
    [FieldOffset(StatePad0Offset)] public uint StatePad0;
    [FieldOffset(StateUniqueIdOffset)] public ulong StateUniqueId;
}
