namespace GuestStub.Launch.Reports;

/// <summary>
/// One check's verdict line, <c>report check.&lt;name&gt; &lt;VERDICT&gt; [reason]</c>: the
/// check's name (<c>&lt;category&gt;.&lt;check&gt;</c>), its verdict and the reason (always there
/// for SKIP, ERROR and FAILURE; null for a SUCCESS without one).
/// </summary>
public sealed record CheckVerdict(string Name, Verdict Verdict, string? Reason)
{
    /// <summary>The report key's prefix that makes a line a verdict line.</summary>
    public const string KeyPrefix = "check.";

    /// <summary>The check's category: the first word of its name.</summary>
    public string Category => Name[..Name.IndexOf('.')];

    public override string ToString() =>
        ReportEntry.Prefix + KeyPrefix + Name + " " + VerdictText.Name(Verdict) + (Reason is null ? "" : " " + Reason);
}
