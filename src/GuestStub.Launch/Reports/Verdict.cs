using System;

namespace GuestStub.Launch.Reports;

/// <summary>
/// A check's verdict, in XTF's words and XTF's order of severity (include/xtf/report.h): the
/// worst verdict of a domain's checks is the domain's.
/// </summary>
public enum Verdict
{
    Success,
    Skip,
    Error,
    Failure,
}

/// <summary>The verdicts as they are written: <c>SUCCESS</c>, <c>SKIP</c>, <c>ERROR</c>, <c>FAILURE</c>.</summary>
public static class VerdictText
{
    public static string Name(Verdict verdict) => verdict switch
    {
        Verdict.Success => "SUCCESS",
        Verdict.Skip => "SKIP",
        Verdict.Error => "ERROR",
        Verdict.Failure => "FAILURE",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static bool TryParse(string text, out Verdict verdict)
    {
        foreach (Verdict v in Enum.GetValues<Verdict>())
        {
            if (text == Name(v))
            {
                verdict = v;
                return true;
            }
        }
        verdict = default;
        return false;
    }

    /// <summary>The more severe of two verdicts.</summary>
    public static Verdict Worst(Verdict a, Verdict b) => a > b ? a : b;
}
