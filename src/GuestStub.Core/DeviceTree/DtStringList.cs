using System;

namespace GuestStub.DeviceTree;

/// <summary>
/// A <c>stringlist</c> value (spec 2.2.4: NUL-terminated strings back to back), e.g.
/// compatible = "xen,xen-4.17", "xen,xen". Read with <see cref="TryGetNext"/> until false.
/// A value that does not end with NUL is malformed: <see cref="IsWellFormed"/> is false and
/// the unterminated tail is never returned.
/// </summary>
public ref struct DtStringList
{
    private readonly ReadOnlySpan<byte> _value;
    private int _next;

    public DtStringList(ReadOnlySpan<byte> value)
    {
        _value = value;
        _next = 0;
    }

    public bool IsEmpty => _value.IsEmpty;

    public bool IsWellFormed => !_value.IsEmpty && _value[_value.Length - 1] == 0;

    /// <summary>The next string, without its NUL.</summary>
    public bool TryGetNext(out ReadOnlySpan<byte> text)
    {
        text = default;
        if (_next >= _value.Length)
            return false;
        int length = _value.Slice(_next).IndexOf((byte)0);
        if (length < 0)
        {
            _next = _value.Length;
            return false;
        }
        text = _value.Slice(_next, length);
        _next += length + 1;
        return true;
    }

    /// <summary>Number of strings (libfdt fdt_stringlist_count).</summary>
    public int Count
    {
        get
        {
            DtStringList copy = new DtStringList(_value);
            int count = 0;
            while (copy.TryGetNext(out _))
                count++;
            return count;
        }
    }

    /// <summary>True when one of the strings equals <paramref name="text"/> exactly.</summary>
    public bool Contains(ReadOnlySpan<byte> text)
    {
        DtStringList copy = new DtStringList(_value);
        while (copy.TryGetNext(out ReadOnlySpan<byte> s))
        {
            if (s.SequenceEqual(text))
                return true;
        }
        return false;
    }

    /// <summary>String <paramref name="index"/> (libfdt fdt_stringlist_get).</summary>
    public bool TryGet(int index, out ReadOnlySpan<byte> text)
    {
        DtStringList copy = new DtStringList(_value);
        int i = 0;
        while (copy.TryGetNext(out text))
        {
            if (i++ == index)
                return true;
        }
        text = default;
        return false;
    }
}
