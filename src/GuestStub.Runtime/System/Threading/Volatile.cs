using System.Runtime.CompilerServices;

namespace System.Threading;

/// <summary>
/// Volatile reads and writes, as in .NET: the access happens exactly once, in program order
/// (ilc emits acquire/release instructions). Used for device registers and memory shared
/// with Xen.
/// </summary>
public static class Volatile
{
    private struct VolatileByte { public volatile byte Value; }
    private struct VolatileUInt16 { public volatile ushort Value; }
    private struct VolatileUInt32 { public volatile uint Value; }
    // C# allows no volatile 64-bit integer field; a volatile nint is 64 bits on arm64 (as in .NET's own CoreLib).
    private struct VolatileIntPtr { public volatile nint Value; }

    public static byte Read(ref readonly byte location) => Unsafe.As<byte, VolatileByte>(ref Unsafe.AsRef(in location)).Value;
    public static ushort Read(ref readonly ushort location) => Unsafe.As<ushort, VolatileUInt16>(ref Unsafe.AsRef(in location)).Value;
    public static uint Read(ref readonly uint location) => Unsafe.As<uint, VolatileUInt32>(ref Unsafe.AsRef(in location)).Value;
    public static ulong Read(ref readonly ulong location) => (ulong)Unsafe.As<ulong, VolatileIntPtr>(ref Unsafe.AsRef(in location)).Value;

    public static void Write(ref byte location, byte value) => Unsafe.As<byte, VolatileByte>(ref location).Value = value;
    public static void Write(ref ushort location, ushort value) => Unsafe.As<ushort, VolatileUInt16>(ref location).Value = value;
    public static void Write(ref uint location, uint value) => Unsafe.As<uint, VolatileUInt32>(ref location).Value = value;
    public static void Write(ref ulong location, ulong value) => Unsafe.As<ulong, VolatileIntPtr>(ref location).Value = (nint)value;
}
