using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;

namespace System.Runtime.InteropServices;

public static unsafe class MemoryMarshal
{
    public static ref T GetReference<T>(Span<T> span) => ref span._reference;

    public static ref T GetReference<T>(ReadOnlySpan<T> span) => ref span._reference;

    public static Span<T> CreateSpan<T>(ref T reference, int length) => new Span<T>(ref reference, length);

    public static ReadOnlySpan<T> CreateReadOnlySpan<T>(scoped ref readonly T reference, int length) =>
        new ReadOnlySpan<T>(ref Unsafe.AsRef(in reference), length);

    /// <summary>Reads an unmanaged struct from the start of a byte span (unaligned).</summary>
    public static T Read<T>(ReadOnlySpan<byte> source) where T : unmanaged
    {
        if (sizeof(T) > source.Length)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
        return Unsafe.ReadUnaligned<T>(ref GetReference(source));
    }

    public static void Write<T>(Span<byte> destination, in T value) where T : unmanaged
    {
        if (sizeof(T) > destination.Length)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
        Unsafe.WriteUnaligned(ref GetReference(destination), value);
    }

    public static Span<byte> AsBytes<T>(Span<T> span) where T : unmanaged =>
        new Span<byte>(ref Unsafe.As<T, byte>(ref span._reference), span.Length * sizeof(T));

    public static ReadOnlySpan<byte> AsBytes<T>(ReadOnlySpan<T> span) where T : unmanaged =>
        new ReadOnlySpan<byte>(ref Unsafe.As<T, byte>(ref span._reference), span.Length * sizeof(T));
}
