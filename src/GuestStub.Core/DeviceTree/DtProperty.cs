namespace GuestStub.DeviceTree;

/// <summary>
/// A property of a validated <see cref="Dtb"/>: the byte offset of its FDT_PROP token from the
/// start of the blob. <see cref="Dtb.PropertyName"/> and <see cref="Dtb.PropertyValue"/> read it.
/// <c>default</c> is "no property".
/// </summary>
public readonly struct DtProperty
{
    public readonly int Offset;

    internal DtProperty(int offset) => Offset = offset;

    public bool IsNone => Offset == 0;

    /// <summary>Offset of the value bytes in the blob (after the token, len and nameoff).</summary>
    public int ValueOffset => Offset + FdtLayout.PropHeaderSize;
}
