using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace GuestStub.Boot.Tests;

/// <summary>
/// Xen's console as the serial line shows it, back in whole lines. Xen prints the hardware
/// domain's text as it comes, 127 bytes at a time (xen/drivers/char/console.c,
/// guest_console_write), and may switch to another vCPU between two pieces (the hypercall is
/// preemptible there); a domU's line, or Xen's own, is printed whole, with no newline before it.
/// So a long dom0 line can come out as "first part(d1) a domU line" and then "rest of it".
/// Reassembled: "(d1) a domU line", then "first partrest of it".
/// </summary>
public static partial class ConsoleLines
{
    [GeneratedRegex(@"\((?:d\d+|XEN)\) ")]
    private static partial Regex LinePrefix();

    public static IEnumerable<string> Reassemble(IEnumerable<string> raw)
    {
        string pending = "";
        foreach (string piece in raw)
        {
            string line = pending + piece;
            pending = "";
            // A dom0 line (no prefix of its own) with another's whole line after its first part.
            Match m = LinePrefix().Match(line);
            if (m.Success && m.Index > 0)
            {
                yield return line[m.Index..];
                pending = line[..m.Index];
                continue;
            }
            yield return line;
        }
        if (pending.Length > 0)
            yield return pending;
    }
}
