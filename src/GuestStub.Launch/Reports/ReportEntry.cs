namespace GuestStub.Launch.Reports;

/// <summary>One line of the machine-readable report, <c>report &lt;key&gt; &lt;value&gt;</c>:
/// its key and its value (the rest of the line).</summary>
public sealed record ReportEntry(string Key, string Value)
{
    public const string Prefix = "report ";

    /// <summary>The line as the guest writes it.</summary>
    public override string ToString() => Prefix + Key + " " + Value;
}
