using System;

namespace GuestStub.DeviceTree;

// Properties of a node: enumeration, lookup by name, typed values.
public readonly ref partial struct Dtb
{
    /// <summary>The node's first property, or false when it has none.</summary>
    public bool TryGetFirstProperty(DtNode node, out DtProperty property) =>
        PropertyAt(SkipNopsFrom(AfterName(node.Offset)), out property);

    /// <summary>The property after <paramref name="property"/> in the same node, or false.</summary>
    public bool TryGetNextProperty(DtProperty property, out DtProperty next) =>
        PropertyAt(SkipNopsFrom(NextTokenOffset(property.Offset, FdtLayout.Prop)), out next);

    private bool PropertyAt(int offset, out DtProperty property)
    {
        property = default;
        if (Word(offset) != FdtLayout.Prop)
            return false;
        property = new DtProperty(offset);
        return true;
    }

    public ReadOnlySpan<byte> PropertyName(DtProperty property)
    {
        ReadOnlySpan<byte> rest = StringsFrom((int)Word(property.Offset + FdtLayout.TokenSize + 4));
        return rest.Slice(0, rest.IndexOf((byte)0));
    }

    private ReadOnlySpan<byte> StringsFrom(int nameOffset) =>
        _blob.Slice(_layout.StringsStart + nameOffset, _layout.StringsEnd - _layout.StringsStart - nameOffset);

    public ReadOnlySpan<byte> PropertyValue(DtProperty property) =>
        _blob.Slice(property.ValueOffset, (int)Word(property.Offset + FdtLayout.TokenSize));

    /// <summary>The property of <paramref name="node"/> named <paramref name="name"/>.</summary>
    public bool TryGetProperty(DtNode node, ReadOnlySpan<byte> name, out DtProperty property)
    {
        bool more = TryGetFirstProperty(node, out property);
        while (more)
        {
            if (PropertyName(property).SequenceEqual(name))
                return true;
            more = TryGetNextProperty(property, out property);
        }
        property = default;
        return false;
    }

    /// <summary>The value of the property <paramref name="name"/> of <paramref name="node"/>.</summary>
    public bool TryGetValue(DtNode node, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (TryGetProperty(node, name, out DtProperty property))
        {
            value = PropertyValue(property);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>A string property without its NUL ("hvc"); false when absent or not a
    /// NUL-terminated string.</summary>
    public bool TryGetString(DtNode node, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (!TryGetValue(node, name, out ReadOnlySpan<byte> value))
            return false;
        return DtCells.TryGetString(value, out text);
    }

    /// <summary>A one-cell property (e.g. #address-cells, phandle).</summary>
    public bool TryGetU32(DtNode node, ReadOnlySpan<byte> name, out uint cell)
    {
        cell = 0;
        return TryGetValue(node, name, out ReadOnlySpan<byte> value) && DtCells.TryReadU32(value, out cell);
    }

    /// <summary>A two-cell property read as one 64-bit number.</summary>
    public bool TryGetU64(DtNode node, ReadOnlySpan<byte> name, out ulong number)
    {
        number = 0;
        return TryGetValue(node, name, out ReadOnlySpan<byte> value) && DtCells.TryReadU64(value, out number);
    }

    /// <summary>The node's <c>compatible</c> string list (empty when absent).</summary>
    public DtStringList CompatibleOf(DtNode node)
    {
        TryGetValue(node, "compatible"u8, out ReadOnlySpan<byte> value);
        return new DtStringList(value);
    }

    /// <summary>True when <c>compatible</c> lists <paramref name="compatible"/> exactly.</summary>
    public bool IsCompatible(DtNode node, ReadOnlySpan<byte> compatible) =>
        CompatibleOf(node).Contains(compatible);

    /// <summary>Spec 2.3.4: <c>status</c> absent, "okay" or "ok" means the device is usable
    /// (Linux of_fdt_device_is_available).</summary>
    public bool IsAvailable(DtNode node)
    {
        if (!TryGetValue(node, "status"u8, out ReadOnlySpan<byte> value))
            return true;
        return value.SequenceEqual("okay\0"u8) || value.SequenceEqual("ok\0"u8);
    }
}
