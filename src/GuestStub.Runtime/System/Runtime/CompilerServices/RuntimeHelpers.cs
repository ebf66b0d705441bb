namespace System.Runtime.CompilerServices;

public static class RuntimeHelpers
{
    /// <summary>Offset of a string's first character from the object start: the MethodTable
    /// pointer, then the 4-byte length.</summary>
    public static unsafe int OffsetToStringData => sizeof(IntPtr) + sizeof(int);

    [Intrinsic]
    public static extern bool IsReferenceOrContainsReferences<T>();

    /// <summary>Lets the C# compiler make a span over constant data of any primitive
    /// element type without allocating (ilc expands it).</summary>
    [Intrinsic]
    public static extern ReadOnlySpan<T> CreateSpan<T>(RuntimeFieldHandle fldHandle);
}

/// <summary>An array's layout after the MethodTable pointer: the length padded to 8 bytes,
/// then the elements.</summary>
internal sealed class RawArrayData
{
    public uint Length;
    public uint Padding;
    public byte Data;
}
