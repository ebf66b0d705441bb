using System.Runtime;
using System.Runtime.CompilerServices;

namespace GuestStub.GuestTests;

/// <summary>
/// libfdt 1.6.1 for aarch64 (Debian's libfdt-dev:arm64 static library, linked into this image)
/// driven by tests/GuestStub.Benchmarks/native/fdt_walk.c, the same C file the host benchmark
/// compiles: fdt_check_full, then fdt_next_node / fdt_get_name / fdt_for_each_property_offset /
/// fdt_getprop_by_offset over every node and property. Each returns the walk's checksum (name and
/// value lengths), or a negative FDT_ERR_* code.
/// </summary>
internal static unsafe class Libfdt
{
    /// <summary>int64_t fdt_walk(const void *fdt, size_t size): check, then walk.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "fdt_walk")]
    internal static extern long Walk(byte* fdt, nuint size);

    /// <summary>int64_t fdt_check_only(const void *fdt, size_t size): fdt_check_full alone.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "fdt_check_only")]
    internal static extern long Check(byte* fdt, nuint size);

    /// <summary>int64_t fdt_walk_only(const void *fdt): the walk alone, on a checked blob.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "fdt_walk_only")]
    internal static extern long WalkOnly(byte* fdt);
}
