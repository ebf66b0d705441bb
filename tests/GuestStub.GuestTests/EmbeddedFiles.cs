using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace GuestStub.GuestTests;

/// <summary>
/// The files build.sh embeds in the image (obj/guest-tests/embedded.S, generated: every
/// tests/vectors/*.vec in name order, then the benchmark trees), each 8-byte aligned in
/// read-only data, looked up by index.
/// </summary>
internal static unsafe class EmbeddedFiles
{
    /// <summary>u64 gueststub_tests_file(u64 kind, u64 index, const char **name, const u8 **data, u64 *size):
    /// 1 and the file, or 0 past the last file of that kind.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_tests_file")]
    private static extern ulong File(ulong kind, ulong index, byte** name, byte** data, ulong* size);

    /// <summary>Kind 0: vector files; kind 1: benchmark trees.</summary>
    internal const ulong Vectors = 0;
    internal const ulong Trees = 1;

    internal static bool TryGet(ulong kind, int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> data)
    {
        byte* namePointer = null;
        byte* dataPointer = null;
        ulong size = 0;
        name = default;
        data = default;
        if (File(kind, (ulong)index, &namePointer, &dataPointer, &size) == 0)
            return false;
        int length = 0;
        while (namePointer[length] != 0)
            length++;
        name = new ReadOnlySpan<byte>(namePointer, length);
        data = new ReadOnlySpan<byte>(dataPointer, (int)size);
        return true;
    }
}
