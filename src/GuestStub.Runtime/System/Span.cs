using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;

namespace System;

/// <summary>A writable view of contiguous memory: a reference and a length, as in .NET.</summary>
public readonly ref struct Span<T>
{
    internal readonly ref T _reference;
    private readonly int _length;

    public Span(ref T reference)
    {
        _reference = ref reference;
        _length = 1;
    }

    /// <summary>As in .NET. For constant byte data (<c>static ReadOnlySpan&lt;byte&gt; X =&gt; new byte[] { ... }</c>)
    /// the C# compiler needs this operator to exist but emits a span over the image's data instead
    /// of an array.</summary>
    public static implicit operator Span<T>(T[] array) => new Span<T>(array);

    public Span(T[] array)
    {
        if (array == null)
            return;
        _reference = ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data);
        _length = array.Length;
    }

    public Span(T[] array, int start, int length)
    {
        if (array == null)
        {
            if (start != 0 || length != 0)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            return;
        }
        if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
        _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data), (nint)(uint)start);
        _length = length;
    }

    public unsafe Span(void* pointer, int length)
    {
        if (length < 0)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
        _reference = ref Unsafe.AsRef<T>(pointer);
        _length = length;
    }

    internal Span(ref T reference, int length)
    {
        _reference = ref reference;
        _length = length;
    }

    public int Length
    {
        [Intrinsic]
        get => _length;
    }

    public bool IsEmpty => _length == 0;

    public static Span<T> Empty => default;

    public ref T this[int index]
    {
        // [Intrinsic]: the JIT expands this as a bounds-checked element access, as for .NET's
        // spans, and can drop checks it proves redundant.
        [Intrinsic]
        get
        {
            if ((uint)index >= (uint)_length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            return ref Unsafe.Add(ref _reference, (nint)(uint)index);
        }
    }

    public Span<T> Slice(int start)
    {
        if ((uint)start > (uint)_length)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
        return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
    }

    public Span<T> Slice(int start, int length)
    {
        if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
        return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
    }

    public ref T GetPinnableReference() => ref _reference;

    public void Clear()
    {
        for (int i = 0; i < _length; i++)
            Unsafe.Add(ref _reference, (nint)(uint)i) = default;
    }

    public void Fill(T value)
    {
        for (int i = 0; i < _length; i++)
            Unsafe.Add(ref _reference, (nint)(uint)i) = value;
    }

    public void CopyTo(Span<T> destination)
    {
        if ((uint)_length > (uint)destination.Length)
            ThrowHelpers.ThrowArgumentException();
        // Copy backwards when the destination starts inside the source, like memmove.
        if (Unsafe.IsAddressGreaterThan(ref destination._reference, ref _reference))
        {
            for (int i = _length - 1; i >= 0; i--)
                Unsafe.Add(ref destination._reference, (nint)(uint)i) = Unsafe.Add(ref _reference, (nint)(uint)i);
        }
        else
        {
            for (int i = 0; i < _length; i++)
                Unsafe.Add(ref destination._reference, (nint)(uint)i) = Unsafe.Add(ref _reference, (nint)(uint)i);
        }
    }

    public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);
}
