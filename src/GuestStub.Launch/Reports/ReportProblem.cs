namespace GuestStub.Launch.Reports;

/// <summary>A line the report parser could not take as written, or that contradicts the
/// others: the line (0-based among the domain's lines), its text and what is wrong.</summary>
public sealed record ReportProblem(int LineIndex, string Line, string Why)
{
    public override string ToString() => $"line {LineIndex + 1}: {Why}: {Line}";
}
