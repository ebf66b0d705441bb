using System.Runtime.InteropServices;

namespace GuestStub.Xen.Abi;

/// <summary>struct sched_shutdown (sched.h), 4 bytes: the argument of SCHEDOP_shutdown.</summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
public struct SchedShutdown
{
    public const int SizeBytes = 4;
    public const int ReasonOffset = 0;

    /// <summary>SHUTDOWN_* (<see cref="ShutdownReason"/>).</summary>
    [FieldOffset(ReasonOffset)] public uint Reason;
}
