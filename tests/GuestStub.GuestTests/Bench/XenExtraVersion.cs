using System;
using GuestStub.Xen;

namespace GuestStub.GuestTests;

/// <summary>
/// XENVER_extraversion (xen/include/public/version.h): the release's suffix after major.minor
/// (".4" for 4.20.4, "-pre" for a development build), so the benchmark says exactly which Xen it
/// ran on. The test image's alone: the product prints major.minor only.
/// </summary>
internal static unsafe class XenExtraVersion
{
    /// <summary>xen_extraversion_t: char[16], NUL-terminated.</summary>
    public const int Bytes = 16;

    private const ulong ExtraVersionOp = 1;

    /// <summary>The suffix's length in <paramref name="buffer"/> (at least <see cref="Bytes"/>
    /// long); 0 when Xen refused or gave none.</summary>
    public static int Query<THc>(ref THc hc, Span<byte> buffer) where THc : struct, IXenHypercalls
    {
        buffer.Slice(0, Bytes).Clear();
        long result;
        fixed (byte* text = buffer)
            result = hc.Hypercall(HypercallNumber.XenVersion, ExtraVersionOp, (ulong)text, 0, 0, 0);
        if (result < 0)
            return 0;
        int length = buffer.Slice(0, Bytes).IndexOf((byte)0);
        return length < 0 ? Bytes : length;
    }
}
