using System.Globalization;

namespace GuestStub.ElfInputChecks;

/// <summary>
/// One thing wrong with an ELF file, located: the field (e.g. "section header 5 sh_offset"), the
/// byte offset of that field in the file, and what is wrong with its value.
/// </summary>
public readonly record struct ElfFieldError(string Field, ulong Offset, string Message)
{
    /// <summary>One line, e.g. <c>section header 5 sh_offset at 0x1a8: ...</c>.</summary>
    public override string ToString() =>
        $"{Field} at 0x{Offset.ToString("x", CultureInfo.InvariantCulture)}: {Message}";
}
