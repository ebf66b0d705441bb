using System;
using System.Text;

namespace GuestStub.Elf;

/// <summary>
/// An SHT_STRTAB section. The bytes are kept exactly as read (so sharing of tails and ordering survive a
/// round trip); <see cref="GetOrAdd"/> reuses an existing occurrence or appends at the end.
/// </summary>
public sealed class ElfStringTable : ElfSection
{
    private byte[] _bytes;
    private int _length;

    /// <summary>A new, empty table holding only the leading NUL that index 0 names.</summary>
    public ElfStringTable(string name = ".strtab")
    {
        Name = name;
        Type = ElfSectionType.StringTable;
        Alignment = 1;
        _bytes = new byte[64];
        _length = 1;
    }

    internal ElfStringTable(byte[] bytes)
    {
        Type = ElfSectionType.StringTable;
        _bytes = bytes;
        _length = bytes.Length;
    }

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

    /// <summary>Reads the NUL-terminated string at <paramref name="index"/>; false when out of range or unterminated.</summary>
    public bool TryGetString(uint index, out string value)
    {
        value = "";
        if (index >= (uint)_length)
            return false;
        ReadOnlySpan<byte> tail = Bytes.Slice((int)index);
        int nul = tail.IndexOf((byte)0);
        if (nul < 0)
            return false;
        value = Encoding.UTF8.GetString(tail.Slice(0, nul));
        return true;
    }

    /// <summary>The string at an index, or a visible marker for a bad index (for display).</summary>
    public string GetStringOrMarker(uint index) => TryGetString(index, out string s) ? s : $"<bad string index 0x{index:x}>";

    /// <summary>The index of <paramref name="value"/>, reusing any existing NUL-terminated occurrence (including a tail).</summary>
    public uint GetOrAdd(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        var needle = new byte[count + 1];
        Encoding.UTF8.GetBytes(value, needle);
        int found = Bytes.IndexOf(needle);
        if (found >= 0)
            return (uint)found;
        if (_length == 0)
            Append(new byte[] { 0 });
        int index = _length;
        Append(needle);
        return (uint)index;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + bytes.Length));
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    public override ulong GetContentSize(ElfClass elfClass) => (ulong)_length;

    internal override void WriteContent(Span<byte> destination, ElfClass elfClass, ElfEncoding encoding) =>
        Bytes.CopyTo(destination);
}
