using System;
using System.Runtime.InteropServices;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;

namespace GuestStub.Fuzz;

/// <summary>
/// <c>dtb</c>: everything the stub does with an untrusted blob (DtbExerciser: open, which
/// validates it whole; walk every node and property; decode names, strings, cells, reg,
/// interrupts, paths; boot facts). The reader is stricter than libfdt, never looser: a blob it
/// accepts that libfdt's fdt_check_full refuses is a finding too (libfdt.so.1, Debian libfdt1,
/// when present).
/// </summary>
internal static unsafe class DtbTarget
{
    private static readonly delegate* unmanaged<byte*, nuint, int> s_checkFull = LoadLibfdt();

    private static delegate* unmanaged<byte*, nuint, int> LoadLibfdt() =>
        NativeLibrary.TryLoad("libfdt.so.1", out IntPtr libfdt) && NativeLibrary.TryGetExport(libfdt, "fdt_check_full", out IntPtr check)
            ? (delegate* unmanaged<byte*, nuint, int>)check
            : null;

    public static void Run(byte[] input)
    {
        // The guest requires 8-byte alignment; a byte[]'s data is 8-byte aligned on 64-bit .NET.
        DtbExerciser.Run(input);
        if (s_checkFull == null || !Dtb.Open(input, out Dtb tree).IsOk)
            return;
        int result;
        fixed (byte* p = input)
            result = s_checkFull(p, (nuint)input.Length);
        if (result != 0)
            throw new InvalidOperationException($"accepted here, refused by libfdt's fdt_check_full ({result})");
        _ = tree;
    }
}
