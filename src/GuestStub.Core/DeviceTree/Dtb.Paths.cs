using System;

namespace GuestStub.DeviceTree;

// Finding nodes: by path (spec 2.2.3), through /aliases (spec 3.3), by compatible, by phandle.
public readonly ref partial struct Dtb
{
    /// <summary>
    /// The child of <paramref name="parent"/> named <paramref name="name"/>. As in libfdt
    /// (fdt_subnode_offset_namelen): a name with '@' must match exactly; a name without one
    /// also matches a node whose name before '@' equals it ("hypervisor" finds
    /// "hypervisor@38000000"). The first match in document order wins.
    /// </summary>
    public bool TryGetChild(DtNode parent, ReadOnlySpan<byte> name, out DtNode child)
    {
        bool more = TryGetFirstChild(parent, out child);
        while (more)
        {
            if (NameMatches(NameOf(child), name))
                return true;
            more = TryGetNextSibling(child, out child);
        }
        child = default;
        return false;
    }

    private static bool NameMatches(ReadOnlySpan<byte> nodeName, ReadOnlySpan<byte> wanted)
    {
        if (nodeName.SequenceEqual(wanted))
            return true;
        return wanted.IndexOf((byte)'@') < 0
            && nodeName.Length > wanted.Length
            && nodeName[wanted.Length] == (byte)'@'
            && nodeName.Slice(0, wanted.Length).SequenceEqual(wanted);
    }

    /// <summary>
    /// The node at <paramref name="path"/>: "/" is the root, "/a/b@1/c" is followed component by
    /// component (see <see cref="TryGetChild"/>; empty components from repeated '/' are skipped,
    /// as libfdt does). A path not starting with '/' begins with an alias name whose value in
    /// /aliases is the path to continue from ("serial0/child"), as in fdt_path_offset.
    /// </summary>
    public bool TryFindNode(ReadOnlySpan<byte> path, out DtNode node)
    {
        node = default;
        if (path.IsEmpty)
            return false;
        DtNode current = Root;
        if (path[0] != (byte)'/')
        {
            int slash = path.IndexOf((byte)'/');
            ReadOnlySpan<byte> alias = slash < 0 ? path : path.Slice(0, slash);
            // An alias must name an absolute path, so this does not recurse.
            if (!TryGetAlias(alias, out ReadOnlySpan<byte> target) || target.IsEmpty || target[0] != (byte)'/')
                return false;
            if (!TryFindNode(target, out current))
                return false;
            path = slash < 0 ? default : path.Slice(slash);
        }

        while (!path.IsEmpty)
        {
            if (path[0] == (byte)'/')
            {
                path = path.Slice(1);
                continue;
            }
            int end = path.IndexOf((byte)'/');
            ReadOnlySpan<byte> component = end < 0 ? path : path.Slice(0, end);
            if (!TryGetChild(current, component, out current))
                return false;
            path = end < 0 ? default : path.Slice(end);
        }
        node = current;
        return true;
    }

    /// <summary>The value of the alias <paramref name="name"/> in /aliases, without its NUL.</summary>
    public bool TryGetAlias(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> path)
    {
        path = default;
        return TryGetChild(Root, "aliases"u8, out DtNode aliases) && TryGetString(aliases, name, out path);
    }

    /// <summary>The /chosen node (spec 3.6).</summary>
    public bool TryGetChosen(out DtNode chosen) => TryGetChild(Root, "chosen"u8, out chosen);

    /// <summary>
    /// The first node after <paramref name="after"/> in document order whose compatible list
    /// holds <paramref name="compatible"/> (libfdt fdt_node_offset_by_compatible); pass
    /// <c>default</c> to search from the root, root included.
    /// </summary>
    public bool TryFindCompatible(ReadOnlySpan<byte> compatible, DtNode after, out DtNode node)
    {
        int depth = 0;
        DtNode current = Root;
        if (after.IsNone)
        {
            if (IsCompatible(current, compatible))
            {
                node = current;
                return true;
            }
        }
        else
        {
            current = after;
        }
        while (TryGetNextNode(current, ref depth, out current))
        {
            if (IsCompatible(current, compatible))
            {
                node = current;
                return true;
            }
        }
        node = default;
        return false;
    }

    /// <summary>The node whose <c>phandle</c> (or legacy <c>linux,phandle</c>) is
    /// <paramref name="phandle"/>. 0 and 0xffffffff are never valid phandles.</summary>
    public bool TryFindByPhandle(uint phandle, out DtNode node)
    {
        node = default;
        if (phandle == 0 || phandle == uint.MaxValue)
            return false;
        DtNode current = Root;
        int depth = 0;
        do
        {
            if ((TryGetU32(current, "phandle"u8, out uint value) || TryGetU32(current, "linux,phandle"u8, out value))
                && value == phandle)
            {
                node = current;
                return true;
            }
        }
        while (TryGetNextNode(current, ref depth, out current));
        return false;
    }
}
