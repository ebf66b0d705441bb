namespace System;

/// <summary>Base of all arrays. The length field is the compiler's layout contract
/// (padded to pointer size on 64-bit targets).</summary>
public abstract class Array
{
    private readonly int _numComponents;
    private readonly int _padding;

    public int Length => _numComponents;
}

/// <summary>ilc requires the generic array base type to exist.</summary>
internal class Array<T> : Array { }
