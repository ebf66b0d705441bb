using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace GuestStub.Launch.Tree;

/// <summary>
/// Nodes as device-tree source, to append to a decompiled tree: a second root block
/// (<c>/ { chosen { ... }; };</c>) that dtc merges into the first, so a node that exists (QEMU's
/// /chosen) gains the properties and children, and a new one is created. A cell naming a label
/// is written <c>&amp;label</c>, and dtc gives the labelled node its phandle.
/// </summary>
public static class DtsSource
{
    /// <summary>A root block holding <paramref name="nodes"/> at <paramref name="parentPath"/>
    /// ("/" or "/chosen": each path component becomes a nested block).</summary>
    public static string RootBlock(string parentPath, IEnumerable<DtNode> nodes)
    {
        string[] components = parentPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder("\n/ {\n");
        int depth = 1;
        foreach (string component in components)
            text.Append('\t', depth++).Append(component).Append(" {\n");
        foreach (DtNode node in nodes)
            Node(text, node, depth);
        while (--depth > 0)
            text.Append('\t', depth).Append("};\n");
        return text.Append("};\n").ToString();
    }

    private static void Node(StringBuilder text, DtNode node, int depth)
    {
        text.Append('\t', depth);
        if (node.Label is not null)
            text.Append(node.Label).Append(": ");
        text.Append(node.Name).Append(" {\n");
        foreach (DtProperty property in node.Properties)
            text.Append('\t', depth + 1).Append(Property(property)).Append('\n');
        foreach (DtNode child in node.Children)
            Node(text, child, depth + 1);
        text.Append('\t', depth).Append("};\n");
    }

    /// <summary>One property as a DTS statement (<c>name = value;</c>).</summary>
    public static string Property(DtProperty property) => property.Value switch
    {
        DtValue.Empty => $"{property.Name};",
        DtValue.Strings s => $"{property.Name} = {string.Join(", ", s.Values.Select(Quote))};",
        DtValue.Cells c => $"{property.Name} = <{string.Join(' ', c.Values.Select(Cell))}>;",
        _ => throw new ArgumentOutOfRangeException(nameof(property)),
    };

    private static string Cell(DtCell cell) =>
        cell.Reference is string label ? "&" + label : "0x" + cell.Value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>A DTS string literal: backslash and double quote escaped, as dtc reads them
    /// (its data.c, get_escape_char); no control characters.</summary>
    private static string Quote(string value)
    {
        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7e)
                throw new LaunchException($"a device-tree string can hold only printable ASCII: \"{value}\"");
        }
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
