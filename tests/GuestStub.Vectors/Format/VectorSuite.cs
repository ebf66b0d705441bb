using System;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// What a record tests, and so which checker runs it (<see cref="VectorRunner"/>). The numbers are
/// the file format's: never renumber one, add new suites at the end.
/// </summary>
public enum VectorSuite : ushort
{
    /// <summary>Not a suite: a record with this number is refused.</summary>
    None = 0,

    /// <summary>A blob through <c>Dtb.Open</c>: the error and byte offset (None for a valid one).</summary>
    DtbMalformed = 1,

    /// <summary>A valid tree through <c>BootFacts.Read</c>: the facts, as canonical text.</summary>
    BootFacts = 2,

    /// <summary>Extended regions through <c>ExtendedRegionSet</c>: status, resource, holes, rejections.</summary>
    ExtendedRegions = 3,

    /// <summary>A seeded sequence of scratch-pool operations: counts and a checksum of the pages.</summary>
    ScratchSequence = 4,

    /// <summary>A formatter of the report layer or of TextFormat: the exact text.</summary>
    ReportLines = 5,

    /// <summary>The runtime's own primitives Core relies on (BitOperations, BinaryPrimitives,
    /// IndexOf), against the values .NET's BCL gives.</summary>
    RuntimePrimitives = 6,
}

/// <summary>The suites' names as the failure lines and the README give them.</summary>
public static class VectorSuiteText
{
    // In VectorSuite's order (None = 0 first).
    private static ReadOnlySpan<byte> Names =>
        "none\0"u8 + "dtb.malformed\0"u8 + "boot.facts\0"u8 + "ext.regions\0"u8 + "scratch.sequence\0"u8 +
        "report.lines\0"u8 + "runtime.primitives\0"u8;

    public static ReadOnlySpan<byte> Name(VectorSuite suite)
    {
        ReadOnlySpan<byte> name = NameTable.Get(Names, (long)suite);
        return name.IsEmpty ? "unknown"u8 : name;
    }
}
