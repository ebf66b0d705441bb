using System.Collections.Generic;

namespace GuestStub.Launch.Tree;

/// <summary>
/// A property's value as the device-tree source and U-Boot's <c>fdt set</c> both write one: empty,
/// a list of strings, or a list of 32-bit cells, where a cell may name another node (its phandle,
/// <c>&amp;label</c> in DTS). Each rendering decides how a reference is written.
/// </summary>
public abstract record DtValue
{
    private DtValue() { }

    /// <summary>No value (<c>vpl011;</c>): the property's presence is what it says.</summary>
    public sealed record Empty : DtValue;

    /// <summary>One string or several (<c>"a", "b"</c>).</summary>
    public sealed record Strings(IReadOnlyList<string> Values) : DtValue;

    /// <summary>32-bit cells (<c>&lt;0x0 0x20000&gt;</c>).</summary>
    public sealed record Cells(IReadOnlyList<DtCell> Values) : DtValue;
}

/// <summary>One cell: a number, or the phandle of the node labelled <see cref="Reference"/>.</summary>
public readonly record struct DtCell(uint Value, string? Reference = null)
{
    public static implicit operator DtCell(uint value) => new(value);

    public static DtCell PhandleOf(string label) => new(0, label);
}
