using System.Collections.Generic;

namespace GuestStub.Launch.Reports;

/// <summary>
/// One check of one domain in one boot, as a CI files it: the domain (<c>dom0</c>, <c>d1</c>,
/// ..., or <see cref="Machine"/> for the boot itself), the check's name, its verdict and reason,
/// and the console lines that explain it (the lines its stage printed, ending with its verdict
/// line; the domain's whole console when nothing narrower is known).
/// </summary>
public sealed record CheckCase(string Domain, string Check, Verdict Verdict, string? Reason, IReadOnlyList<string> Lines)
{
    /// <summary>The domain name of the cases about the boot as a whole (how QEMU ended).</summary>
    public const string Machine = "machine";

    /// <summary>A domain's case when it never printed its closing <c>Test result:</c> line, or
    /// printed report lines that break their form.</summary>
    public const string TestResultCheck = "test-result";

    /// <summary>The machine's case when QEMU did not exit by itself with status 0.</summary>
    public const string PowerOffCheck = "power-off";
}
