using System.Collections.Generic;

namespace GuestStub.Launch.Tree;

/// <summary>
/// A device-tree node to add to the host tree: its name (with unit address), an optional label
/// that cells of other nodes refer to, its properties and its children, in order. Data only:
/// <see cref="DtsSource"/> renders it as device-tree source; another rendering (U-Boot's
/// <c>fdt</c> commands, as ImageBuilder writes them) can walk the same nodes.
/// </summary>
public sealed record DtNode(string Name, IReadOnlyList<DtProperty> Properties, IReadOnlyList<DtNode> Children)
{
    /// <summary>The label other nodes' cells name (<see cref="DtCell.Reference"/>), or null.</summary>
    public string? Label { get; init; }

    /// <summary>This node and its descendants, depth first, with each one's path below
    /// <paramref name="parentPath"/>.</summary>
    public IEnumerable<(string Path, DtNode Node)> Walk(string parentPath)
    {
        string path = parentPath.TrimEnd('/') + "/" + Name;
        yield return (path, this);
        foreach (DtNode child in Children)
            foreach ((string p, DtNode n) in child.Walk(path))
                yield return (p, n);
    }
}
