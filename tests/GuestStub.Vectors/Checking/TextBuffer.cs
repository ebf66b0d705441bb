using System;
using System.Runtime.InteropServices;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// A text sink into a fixed buffer of its own (a value on the checker's stack, no heap): what a
/// formatter or renderer wrote, to be compared with a vector's expected text. Text past
/// <see cref="Capacity"/> is dropped and flagged, which fails the comparison.
/// </summary>
public unsafe struct TextBuffer : ITextSink
{
    public const int Capacity = 4096;

    private fixed byte _bytes[Capacity];
    private int _length;

    /// <summary>More than <see cref="Capacity"/> bytes were written.</summary>
    public bool Overflowed;

    public void Write(ReadOnlySpan<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (_length == Capacity)
            {
                Overflowed = true;
                return;
            }
            _bytes[_length++] = text[i];
        }
    }

    /// <summary>What was written so far.</summary>
    public static ReadOnlySpan<byte> TextOf(ref TextBuffer buffer) =>
        MemoryMarshal.CreateReadOnlySpan(ref buffer._bytes[0], buffer._length);
}
