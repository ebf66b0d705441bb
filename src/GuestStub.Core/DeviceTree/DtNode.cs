namespace GuestStub.DeviceTree;

/// <summary>
/// A node of a validated <see cref="Dtb"/>: the byte offset of its FDT_BEGIN_NODE token from
/// the start of the blob (libfdt's node offset). Meaningful only with the Dtb it came from.
/// <c>default</c> is "no node" (offset 0 is the header, never a node).
/// </summary>
public readonly struct DtNode
{
    public readonly int Offset;

    internal DtNode(int offset) => Offset = offset;

    public bool IsNone => Offset == 0;
}
