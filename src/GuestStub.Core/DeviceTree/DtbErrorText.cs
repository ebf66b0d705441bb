using System;
using GuestStub.Text;

namespace GuestStub.DeviceTree;

/// <summary>
/// A phrase for each <see cref="DtbError"/>, for one-line reports: the guest's console when it
/// refuses a DTB and the host CLI's error line. ASCII bytes, so the guest can print them.
/// </summary>
public static class DtbErrorText
{
    // In DtbError's order (None = 0 first); the tests check every value has its own phrase.
    private static ReadOnlySpan<byte> Phrases =>
        "no error\0"u8 +
        "blob or record truncated\0"u8 +
        "bad magic (not a DTB)\0"u8 +
        "byte-swapped magic (little-endian DTB?)\0"u8 +
        "unsupported version\0"u8 +
        "totalsize smaller than the header\0"u8 +
        "block offset or size outside the blob\0"u8 +
        "misaligned blob or block\0"u8 +
        "memory reservation map unterminated or overlapping a block\0"u8 +
        "unknown structure token\0"u8 +
        "bad node nesting or structure block\0"u8 +
        "missing, named or second root node\0"u8 +
        "bad or unterminated node name\0"u8 +
        "property length past the structure block\0"u8 +
        "property name offset outside the strings block\0"u8 +
        "empty or unterminated property name\0"u8 +
        "nodes nested deeper than 64\0"u8 +
        "bad #address-cells, #size-cells or #interrupt-cells\0"u8 +
        "malformed property value\0"u8 +
        "address + size passes 2^64\0"u8 +
        "required node or property missing\0"u8 +
        "phandle refers to no node\0"u8 +
        "bad path or alias\0"u8 +
        "more than 32 entries in a boot-facts table\0"u8 +
        "property name character outside the spec's set\0"u8 +
        "property name twice in one node\0"u8 +
        "more properties than the duplicate check allows (8192 in one node)\0"u8 +
        "node name twice under one parent\0"u8 +
        "more child nodes than the duplicate check holds (2048 under the open nodes)\0"u8;

    /// <summary>The one wording of a refused DTB, used by the guest's console, the host tool and
    /// the simulation alike: "PHRASE at byte offset 0xOFFSET".</summary>
    public static void Write<TSink>(ref TSink sink, DtbStatus status) where TSink : struct, ITextSink
    {
        sink.Write(Describe(status.Error));
        sink.Write(" at byte offset "u8);
        TextFormat.Hex(ref sink, (ulong)status.Offset);
    }

    public static ReadOnlySpan<byte> Describe(DtbError error)
    {
        ReadOnlySpan<byte> phrase = NameTable.Get(Phrases, (long)error);
        return phrase.IsEmpty ? "invalid device tree"u8 : phrase;
    }
}
