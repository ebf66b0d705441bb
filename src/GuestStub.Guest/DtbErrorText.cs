using System;
using GuestStub.DeviceTree;

namespace GuestStub.Guest;

/// <summary>Human-readable names of DTB validation errors for the guest's console.</summary>
internal static class DtbErrorText
{
    internal static ReadOnlySpan<byte> Describe(DtbError error) => error switch
    {
        DtbError.None => "no error"u8,
        DtbError.Truncated => "truncated"u8,
        DtbError.BadMagic => "bad magic (not a flattened device tree)"u8,
        DtbError.SwappedMagic => "byte-swapped magic (wrong endianness)"u8,
        DtbError.BadVersion => "unsupported version"u8,
        DtbError.BadTotalSize => "bad totalsize"u8,
        DtbError.BadLayout => "blocks overlap or lie outside the blob"u8,
        DtbError.BadAlignment => "misaligned blob or block"u8,
        DtbError.BadReservationMap => "bad memory reservation map"u8,
        DtbError.BadToken => "bad structure token"u8,
        DtbError.BadStructure => "bad structure nesting"u8,
        DtbError.BadRoot => "bad root node"u8,
        DtbError.BadName => "bad node name"u8,
        DtbError.BadPropertyLength => "property length past the structure block"u8,
        DtbError.BadStringOffset => "property name offset outside the strings block"u8,
        DtbError.BadPropertyName => "unterminated property name"u8,
        DtbError.TooDeep => "nodes nested too deep"u8,
        DtbError.BadCells => "bad #address-cells or #size-cells"u8,
        DtbError.BadValue => "bad property value"u8,
        DtbError.AddressOverflow => "address plus size overflows"u8,
        DtbError.NotFound => "not found"u8,
        DtbError.BadPhandle => "bad phandle"u8,
        DtbError.BadPath => "bad path"u8,
        DtbError.TooMany => "too many entries"u8,
        _ => "unknown error"u8,
    };
}
