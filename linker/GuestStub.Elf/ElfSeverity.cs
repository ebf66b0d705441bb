namespace GuestStub.Elf;

/// <summary>How bad a diagnostic is. Any <see cref="Error"/> means the file is rejected.</summary>
public enum ElfSeverity
{
    Info,
    Warning,
    Error,
}
