using System;
using System.Text;
using LibObjectFile.Elf;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// Section names for messages about the first-pass model, where LibObjectFile has not read the
/// section name string table yet: the NUL-terminated string at sh_name in it, if that is in the file.
/// </summary>
internal static class SectionNames
{
    public static string Describe(ElfFile file, byte[] bytes, int index)
    {
        string? name = TryName(file, bytes, index);
        return name is null ? $"section {index}" : $"section {index} '{name}'";
    }

    private static string? TryName(ElfFile file, byte[] bytes, int index)
    {
        uint table = file.Layout.SectionStringTableIndex;
        if (table == 0 || table >= (uint)file.Sections.Count || index >= file.Sections.Count)
            return null;
        ElfSection strings = file.Sections[(int)table];
        ulong at = file.Sections[index].Name.Index;
        ulong length = (ulong)bytes.Length;
        if (strings.Position > length || strings.Size > length - strings.Position || at >= strings.Size)
            return null;
        ReadOnlySpan<byte> rest = bytes.AsSpan((int)(strings.Position + at), (int)(strings.Size - at));
        int end = rest.IndexOf((byte)0);
        return end < 0 ? null : Encoding.UTF8.GetString(rest[..end]);
    }
}
