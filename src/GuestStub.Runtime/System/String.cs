using System.Runtime.CompilerServices;

namespace System;

/// <summary>
/// Strings exist only as literals, which ilc lays out as frozen objects in read-only data:
/// the guest never builds a string at run time (there is no allocator for them).
/// The two fields are the compiler's layout contract.
/// </summary>
public sealed class String
{
    private readonly int _stringLength;
    private char _firstChar;

    public int Length => _stringLength;

    [IndexerName("Chars")]
    public char this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_stringLength)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
            return Unsafe.Add(ref _firstChar, index);
        }
    }

    /// <summary>The characters, for writers that print a literal. C# 14 converts a string to
    /// ReadOnlySpan&lt;char&gt; through MemoryExtensions.AsSpan, which calls this.</summary>
    public static implicit operator ReadOnlySpan<char>(string value) =>
        (object)value == null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);

    internal ReadOnlySpan<char> AllChars => new ReadOnlySpan<char>(ref _firstChar, _stringLength);
}
