using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace GuestStub.Launch.Flow;

/// <summary>A QEMU command line: the program and its arguments, as run (no shell between).</summary>
public sealed partial record QemuCommand(IReadOnlyList<string> Arguments)
{
    public string Program => Arguments[0];

    [GeneratedRegex("^[A-Za-z0-9_./:=,+@-]+$")]
    private static partial Regex PlainWord();

    /// <summary>The command as one line a shell would run as is: plain words as they are, the
    /// others in single quotes.</summary>
    public string ShellLine => string.Join(' ', Arguments.Select(Quote));

    private static string Quote(string word) =>
        PlainWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", System.StringComparison.Ordinal) + "'";

    /// <summary>A value inside a QEMU option list (<c>-device loader,file=...</c>): a comma is
    /// doubled, as QEMU's option parser reads a literal comma.</summary>
    public static string OptionValue(string value) => value.Replace(",", ",,", System.StringComparison.Ordinal);

    public override string ToString() => ShellLine;
}
