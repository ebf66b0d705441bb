using System.Collections.Generic;

namespace GuestStub.Elf;

/// <summary>Collects diagnostics in the order found; the reader and Verify append, nobody throws.</summary>
public sealed class ElfDiagnosticBag
{
    private readonly List<ElfDiagnostic> _items = new();

    public IReadOnlyList<ElfDiagnostic> Items => _items;

    public bool HasErrors { get; private set; }

    public void Add(ElfSeverity severity, ElfDiagnosticCode code, string field, ulong? offset, string message)
    {
        _items.Add(new ElfDiagnostic(severity, code, field, offset, message));
        if (severity == ElfSeverity.Error)
            HasErrors = true;
    }

    public void Error(ElfDiagnosticCode code, string field, ulong? offset, string message) =>
        Add(ElfSeverity.Error, code, field, offset, message);

    public void Warning(ElfDiagnosticCode code, string field, ulong? offset, string message) =>
        Add(ElfSeverity.Warning, code, field, offset, message);

    public void Info(ElfDiagnosticCode code, string field, ulong? offset, string message) =>
        Add(ElfSeverity.Info, code, field, offset, message);

    public void AddRange(IEnumerable<ElfDiagnostic> diagnostics)
    {
        foreach (ElfDiagnostic d in diagnostics)
            Add(d.Severity, d.Code, d.Field, d.Offset, d.Message);
    }
}
