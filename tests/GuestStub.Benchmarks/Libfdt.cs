using System;
using System.IO;
using System.Runtime.InteropServices;

namespace GuestStub.Benchmarks;

/// <summary>Compiles native/fdt_walk.c against the system libfdt and binds fdt_walk.</summary>
public static unsafe class Libfdt
{
    private static delegate* unmanaged<byte*, nuint, long> _walk;
    private static delegate* unmanaged<byte*, nuint, long> _check;
    private static delegate* unmanaged<byte*, long> _walkOnly;

    public static void Load()
    {
        if (_walk != null)
            return;
        string source = Path.Combine(Trees.RepoRoot(), "tests", "GuestStub.Benchmarks", "native", "fdt_walk.c");
        string library = Path.Combine(Path.GetTempPath(), $"gueststub-libfdt-walk-{Environment.ProcessId}.so");
        Trees.Run("gcc", $"-O2 -shared -fPIC -o {library} {source} -lfdt");
        IntPtr handle = NativeLibrary.Load(library);
        _walk = (delegate* unmanaged<byte*, nuint, long>)NativeLibrary.GetExport(handle, "fdt_walk");
        _check = (delegate* unmanaged<byte*, nuint, long>)NativeLibrary.GetExport(handle, "fdt_check_only");
        _walkOnly = (delegate* unmanaged<byte*, long>)NativeLibrary.GetExport(handle, "fdt_walk_only");
    }

    /// <summary>fdt_check_full plus a full walk; a negative FDT_ERR_* code when refused.</summary>
    public static long Walk(byte[] blob)
    {
        fixed (byte* p = blob)
            return _walk(p, (nuint)blob.Length);
    }

    /// <summary>fdt_check_full alone: 0 or a negative FDT_ERR_* code.</summary>
    public static long Check(byte[] blob)
    {
        fixed (byte* p = blob)
            return _check(p, (nuint)blob.Length);
    }

    /// <summary>The walk alone, without fdt_check_full.</summary>
    public static long WalkOnly(byte[] blob)
    {
        fixed (byte* p = blob)
            return _walkOnly(p);
    }
}
