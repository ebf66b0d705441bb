using System;

namespace GuestStub.DeviceTree;

// Walking the structure block: tokens, children, siblings, document order, parents.
public readonly ref partial struct Dtb
{
    /// <summary>The root node: the first FDT_BEGIN_NODE (only FDT_NOP may precede it).</summary>
    public DtNode Root => new DtNode(SkipNopsFrom(_layout.StructStart));

    /// <summary>The node's name with its unit address ("pl011@9000000"); empty for the root.</summary>
    public ReadOnlySpan<byte> NameOf(DtNode node)
    {
        ReadOnlySpan<byte> rest = _blob.Slice(node.Offset + FdtLayout.TokenSize, _layout.StructEnd - node.Offset - FdtLayout.TokenSize);
        return rest.Slice(0, rest.IndexOf((byte)0));
    }

    /// <summary>The node's name without its unit address ("pl011").</summary>
    public ReadOnlySpan<byte> BaseNameOf(DtNode node)
    {
        ReadOnlySpan<byte> name = NameOf(node);
        int at = name.IndexOf((byte)'@');
        return at < 0 ? name : name.Slice(0, at);
    }

    /// <summary>The node's first child, or false for a leaf.</summary>
    public bool TryGetFirstChild(DtNode parent, out DtNode child)
    {
        int offset = SkipProperties(AfterName(parent.Offset));
        child = default;
        if (Word(offset) != FdtLayout.BeginNode)
            return false;
        child = new DtNode(offset);
        return true;
    }

    /// <summary>The next node with the same parent, or false for the last child.</summary>
    public bool TryGetNextSibling(DtNode node, out DtNode sibling)
    {
        int offset = SkipNopsFrom(EndOfSubtree(node.Offset));
        sibling = default;
        if (Word(offset) != FdtLayout.BeginNode)
            return false;
        sibling = new DtNode(offset);
        return true;
    }

    /// <summary>The next node in document order (depth first), like libfdt's fdt_next_node.
    /// <paramref name="depth"/> is the depth of <paramref name="node"/> relative to the
    /// caller's origin and is updated to that of <paramref name="next"/>; false at the end
    /// of the tree.</summary>
    public bool TryGetNextNode(DtNode node, ref int depth, out DtNode next)
    {
        int offset = AfterName(node.Offset);
        while (true)
        {
            uint tag = Word(offset);
            if (tag == FdtLayout.BeginNode)
            {
                depth++;
                next = new DtNode(offset);
                return true;
            }
            if (tag == FdtLayout.End)
            {
                next = default;
                return false;
            }
            if (tag == FdtLayout.EndNode)
                depth--;
            offset = NextTokenOffset(offset, tag);
        }
    }

    /// <summary>The node's parent, or false for the root. The blob has no back links, so
    /// this is a walk from the root (two passes, no stack), O(size of the tree).</summary>
    public bool TryGetParent(DtNode node, out DtNode parent)
    {
        parent = default;
        DtNode root = Root;
        if (node.Offset == root.Offset)
            return false;
        // DepthOf's walk, written out: calling it costs the guest image a method it does not
        // otherwise need.
        int targetDepth = -1;
        int depth = 0;
        DtNode current = root;
        while (TryGetNextNode(current, ref depth, out current))
        {
            if (current.Offset == node.Offset)
            {
                targetDepth = depth;
                break;
            }
        }
        if (targetDepth < 0)
            return false;

        // The parent is the last node at targetDepth - 1 that starts before the node.
        depth = 0;
        current = root;
        parent = root;
        while (TryGetNextNode(current, ref depth, out current) && current.Offset < node.Offset)
        {
            if (depth == targetDepth - 1)
                parent = current;
        }
        return true;
    }

    /// <summary>Depth of the node below the root (root 0), by a walk from the root; -1 if the
    /// handle is not a node of this tree.</summary>
    public int DepthOf(DtNode node)
    {
        DtNode current = Root;
        int depth = 0;
        if (current.Offset == node.Offset)
            return 0;
        while (TryGetNextNode(current, ref depth, out current))
        {
            if (current.Offset == node.Offset)
                return depth;
        }
        return -1;
    }

    /// <summary>Offset just past a node's name and padding: its first property or child.</summary>
    private int AfterName(int nodeOffset)
    {
        int nameStart = nodeOffset + FdtLayout.TokenSize;
        return FdtLayout.AlignToToken(nameStart + _blob.Slice(nameStart).IndexOf((byte)0) + 1);
    }

    private int SkipNopsFrom(int offset)
    {
        while (Word(offset) == FdtLayout.Nop)
            offset += FdtLayout.TokenSize;
        return offset;
    }

    private int SkipProperties(int offset)
    {
        while (true)
        {
            uint tag = Word(offset);
            if (tag != FdtLayout.Nop && tag != FdtLayout.Prop)
                return offset;
            offset = NextTokenOffset(offset, tag);
        }
    }

    /// <summary>Offset just past the FDT_END_NODE that closes the node at <paramref name="nodeOffset"/>.</summary>
    private int EndOfSubtree(int nodeOffset)
    {
        int depth = 1;
        int offset = AfterName(nodeOffset);
        while (true)
        {
            uint tag = Word(offset);
            offset = NextTokenOffset(offset, tag);
            if (tag == FdtLayout.BeginNode)
                depth++;
            else if (tag == FdtLayout.EndNode && --depth == 0)
                return offset;
        }
    }

    /// <summary>Offset of the token after the one at <paramref name="offset"/> (fdt_next_tag).
    /// Every token has been checked by the validator.</summary>
    private int NextTokenOffset(int offset, uint tag)
    {
        switch (tag)
        {
            case FdtLayout.BeginNode:
                return AfterName(offset);
            case FdtLayout.Prop:
                return FdtLayout.AlignToToken(offset + FdtLayout.PropHeaderSize + (int)Word(offset + FdtLayout.TokenSize));
            default:
                return offset + FdtLayout.TokenSize;
        }
    }
}
