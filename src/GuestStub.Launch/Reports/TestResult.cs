namespace GuestStub.Launch.Reports;

/// <summary>
/// A domain's closing line, XTF's <c>Test result: &lt;VERDICT&gt;</c> (common/report.c prints
/// <c>Test result: %s%s</c>, with <c> with warnings</c> after SUCCESS when there were some).
/// </summary>
public sealed record TestResult(Verdict Verdict, bool WithWarnings)
{
    public const string Prefix = "Test result: ";

    public const string Warnings = " with warnings";

    public override string ToString() => Prefix + VerdictText.Name(Verdict) + (WithWarnings ? Warnings : "");
}
