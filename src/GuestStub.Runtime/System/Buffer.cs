namespace System;

/// <summary>ilc 10 requires the class; its bulk move serves struct copies that contain
/// references. No GC, so no write barrier: a plain move.</summary>
public static class Buffer
{
    internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint length) =>
        SpanHelpers.Memmove(ref destination, ref source, length);
}
