using System;

namespace GuestStub.DeviceTree;

/// <summary>
/// A phrase for each <see cref="DtbError"/>, for one-line reports: the guest's console when it
/// refuses a DTB and the host CLI's error line. ASCII bytes, so the guest can print them.
/// </summary>
public static class DtbErrorText
{
    public static ReadOnlySpan<byte> Describe(DtbError error) => error switch
    {
        DtbError.None => "no error"u8,
        DtbError.Truncated => "blob or record truncated"u8,
        DtbError.BadMagic => "bad magic (not a DTB)"u8,
        DtbError.SwappedMagic => "byte-swapped magic (little-endian DTB?)"u8,
        DtbError.BadVersion => "unsupported version"u8,
        DtbError.BadTotalSize => "totalsize smaller than the header or implausibly large"u8,
        DtbError.BadLayout => "block offset or size outside the blob"u8,
        DtbError.BadAlignment => "misaligned blob or block"u8,
        DtbError.BadReservationMap => "memory reservation map unterminated or overlapping a block"u8,
        DtbError.BadToken => "unknown structure token"u8,
        DtbError.BadStructure => "bad node nesting or structure block"u8,
        DtbError.BadRoot => "missing, named or second root node"u8,
        DtbError.BadName => "bad or unterminated node name"u8,
        DtbError.BadPropertyLength => "property length past the structure block"u8,
        DtbError.BadStringOffset => "property name offset outside the strings block"u8,
        DtbError.BadPropertyName => "empty or unterminated property name"u8,
        DtbError.TooDeep => "nodes nested deeper than 64"u8,
        DtbError.BadCells => "bad #address-cells, #size-cells or #interrupt-cells"u8,
        DtbError.BadValue => "malformed property value"u8,
        DtbError.AddressOverflow => "address + size passes 2^64"u8,
        DtbError.NotFound => "required node or property missing"u8,
        DtbError.BadPhandle => "phandle refers to no node"u8,
        DtbError.BadPath => "bad path or alias"u8,
        DtbError.TooMany => "more than 32 entries in a boot-facts table"u8,
        _ => "invalid device tree"u8,
    };
}
