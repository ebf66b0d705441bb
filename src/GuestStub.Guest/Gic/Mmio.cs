using System.Threading;

namespace GuestStub.Guest;

/// <summary>32- and 64-bit device register access through the identity map (Device-nGnRE in
/// the first GiB, where Xen presents the GIC to dom0 and to domUs).</summary>
internal static unsafe class Mmio
{
    internal static uint Read32(ulong address) => Volatile.Read(ref *(uint*)address);

    internal static void Write32(ulong address, uint value) => Volatile.Write(ref *(uint*)address, value);

    internal static ulong Read64(ulong address) => Volatile.Read(ref *(ulong*)address);
}
