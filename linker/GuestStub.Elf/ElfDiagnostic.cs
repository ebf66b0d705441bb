using System.Globalization;

namespace GuestStub.Elf;

/// <summary>
/// One finding about a file: what is wrong (<see cref="Code"/>), which field (<see cref="Field"/>,
/// e.g. "section header 5 sh_offset") and where in the file (<see cref="Offset"/>, the byte offset
/// of that field, or null when the finding is about the model rather than the bytes).
/// </summary>
public readonly record struct ElfDiagnostic(
    ElfSeverity Severity,
    ElfDiagnosticCode Code,
    string Field,
    ulong? Offset,
    string Message)
{
    /// <summary>One line, e.g. <c>error ELF009 section header 3 sh_offset at 0x1a8: ...</c>.</summary>
    public override string ToString()
    {
        string severity = Severity switch
        {
            ElfSeverity.Error => "error",
            ElfSeverity.Warning => "warning",
            _ => "info",
        };
        string at = Offset is { } o ? " at 0x" + o.ToString("x", CultureInfo.InvariantCulture) : "";
        return $"{severity} ELF{(int)Code:D3} {Field}{at}: {Message}";
    }
}
