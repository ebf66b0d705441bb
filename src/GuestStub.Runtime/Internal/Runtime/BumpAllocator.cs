using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime;

/// <summary>
/// The guest's only heap: a bump allocator over the region the linker script reserves
/// (<c>__heap_start</c> .. <c>__heap_end</c>). There is no garbage collector, so nothing is ever
/// freed; running out is a fail-fast. Core code never allocates (see Core's README); this serves
/// the rare object the guest program makes, e.g. an exception about to fail fast.
/// </summary>
internal static unsafe class BumpAllocator
{
    private static nuint s_next;
    private static nuint s_end;

    internal static void* Allocate(nuint sizeBytes)
    {
        if (s_next == 0)
            GetHeapBounds(out s_next, out s_end);
        nuint size = (sizeBytes + 7) & ~(nuint)7;
        if (size < sizeBytes || size > s_end - s_next)
            Environment.FailFast("out of memory: the guest heap is exhausted");
        byte* result = (byte*)s_next;
        s_next += size;
        for (nuint i = 0; i < size; i++)
            result[i] = 0;
        return result;
    }

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_heap_bounds")]
    private static extern void GetHeapBounds(out nuint start, out nuint end);
}
