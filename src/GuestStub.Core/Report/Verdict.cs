using System;
using GuestStub.Text;

namespace GuestStub.Report;

/// <summary>
/// How a check ended, in XTF's words and its order of severity (include/xtf/report.h): the worst
/// of a domain's checks is its result. SUCCESS: Xen did what it must. SKIP: the check does not
/// apply here, or could not run (always with the reason). ERROR: the test or its environment
/// broke (a peer that misbehaved, the stub's own pool run out, a boot argument naming another
/// domid). FAILURE: Xen did wrong (a call refused that must work, data that reads back wrong,
/// a refusal that must come and did not).
/// </summary>
public enum Verdict : byte
{
    Success,
    Skip,
    Error,
    Failure,
}

/// <summary>The words of <see cref="Verdict"/>, as XTF prints them.</summary>
public static class VerdictText
{
    private static ReadOnlySpan<byte> Names => "SUCCESS\0SKIP\0ERROR\0FAILURE\0"u8;

    public static ReadOnlySpan<byte> Name(Verdict verdict) => NameTable.Get(Names, (long)verdict);

    /// <summary>The worse of two, in XTF's order SUCCESS &lt; SKIP &lt; ERROR &lt; FAILURE.</summary>
    public static Verdict Worse(Verdict a, Verdict b) => a > b ? a : b;
}
