using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace GuestStub.Launch.Tree;

/// <summary>
/// Nodes as U-Boot <c>fdt</c> commands that add them to the working tree, in the form
/// ImageBuilder's <c>scripts/uboot-script-gen</c> writes them: <c>fdt mknod PARENT NAME</c> for
/// each new node, <c>fdt set PATH PROP VALUE</c> for each property (strings quoted, cells as
/// <c>&lt;0x..&gt;</c>, <c>\#</c> for a name that starts with <c>#</c>, which U-Boot's shell
/// would take as a comment). U-Boot does not resolve labels: a labelled node is given its
/// phandle explicitly, numbered down from 0xfffffffe as ImageBuilder numbers its static event
/// channels' (far from the small phandles QEMU's tree uses), and a cell naming the label holds
/// that number. The same <see cref="DtNode"/>s <see cref="DtsSource"/> renders for dtc.
/// <para>
/// Order: libfdt's <c>fdt_add_subnode</c> puts a new node before its parent's other children
/// (right after the parent's properties), so nodes made one after the other end up in reverse.
/// Xen numbers dom0less domUs in the order of their nodes, so a node's children are made last
/// first, all before any is filled in: the tree then has them in the description's order, and
/// domU i is domid i as in the QEMU loader flow. (A new property, likewise, goes first: the
/// properties end up reversed, which means nothing to Xen.)
/// </para>
/// </summary>
public static class UBootFdtCommands
{
    /// <summary>The first phandle given to a labelled node; the next ones count down.</summary>
    public const uint FirstPhandle = 0xffff_fffe;

    /// <summary>Commands adding <paramref name="node"/> at <paramref name="parentPath"/>. When
    /// <paramref name="nodeExists"/> (QEMU's /chosen), the node itself is not made, only its
    /// properties set and its children made.</summary>
    public static IReadOnlyList<string> Commands(string parentPath, DtNode node, bool nodeExists)
    {
        var phandles = new Dictionary<string, uint>(StringComparer.Ordinal);
        uint next = FirstPhandle;
        foreach ((_, DtNode n) in node.Walk(parentPath))
        {
            if (n.Label is string label && !phandles.TryAdd(label, next--))
                throw new LaunchException($"two nodes are labelled {label}");
        }
        var commands = new List<string>();
        string path = parentPath.TrimEnd('/') + "/" + node.Name;
        if (!nodeExists)
            commands.Add($"fdt mknod {parentPath} {node.Name}");
        Node(commands, path, node, phandles);
        return commands;
    }

    /// <summary>The node's properties, its children made (last first), then each child filled in.
    /// The node itself was made by its parent (or exists).</summary>
    private static void Node(List<string> commands, string path, DtNode node, IReadOnlyDictionary<string, uint> phandles)
    {
        if (node.Label is string label)
            commands.Add($"fdt set {path} phandle <{Hex(phandles[label])}>");
        foreach (DtProperty property in node.Properties)
            commands.Add(Set(path, property, phandles));
        for (int i = node.Children.Count - 1; i >= 0; i--)
            commands.Add($"fdt mknod {path} {node.Children[i].Name}");
        foreach (DtNode child in node.Children)
            Node(commands, path.TrimEnd('/') + "/" + child.Name, child, phandles);
    }

    /// <summary>One <c>fdt set</c> command.</summary>
    private static string Set(string path, DtProperty property, IReadOnlyDictionary<string, uint> phandles)
    {
        string name = property.Name.StartsWith('#') ? "\\" + property.Name : property.Name;
        return property.Value switch
        {
            DtValue.Empty => $"fdt set {path} {name}",
            DtValue.Strings s => $"fdt set {path} {name} {string.Join(' ', s.Values.Select(Quote))}",
            DtValue.Cells c => $"fdt set {path} {name} <{string.Join(' ', c.Values.Select(cell => Cell(cell, phandles)))}>",
            _ => throw new ArgumentOutOfRangeException(nameof(property)),
        };
    }

    private static string Cell(DtCell cell, IReadOnlyDictionary<string, uint> phandles)
    {
        if (cell.Reference is not string label)
            return Hex(cell.Value);
        return phandles.TryGetValue(label, out uint phandle) ? Hex(phandle)
            : throw new LaunchException($"a cell names label {label}, and no node added has it");
    }

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>A string in double quotes for U-Boot's shell, which would expand <c>$</c> and
    /// take <c>\</c> and <c>"</c> as its own inside them: such a string is refused, as are
    /// control characters.</summary>
    private static string Quote(string value)
    {
        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7e || c is '"' or '\\' or '$')
                throw new LaunchException($"a U-Boot fdt string can hold only printable ASCII without \", \\ or $: \"{value}\"");
        }
        return "\"" + value + "\"";
    }
}
