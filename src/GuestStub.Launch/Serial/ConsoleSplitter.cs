using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace GuestStub.Launch.Serial;

/// <summary>
/// Xen's console, as QEMU's serial port shows it, back in whole lines per domain.
/// <para>
/// Prefixes (xen/drivers/char/console.c): Xen's own lines start <c>(XEN) </c>; a domU's HVC
/// console lines <c>(dN) </c> (guest_console_write buffers them to a whole line and prints it
/// with the domain's prefix); a domU's vpl011 output <c>(XEN) DOMn: </c> (arch/arm/vpl011.c
/// prints it through Xen's own printk); the hardware domain's text is printed as it comes,
/// without a prefix. With <c>console_timestamps=</c> a timestamp follows the prefix
/// (<c>[    6.530387] </c> for boot, <c>[2026-12-07 04:42:26]</c> or with <c>.mmm</c> for
/// date, 16 hex digits for raw): it is taken off too.
/// </para>
/// <para>
/// Split lines: Xen writes the hardware domain's text 127 bytes at a time and may switch to
/// another vCPU between two pieces (the hypercall is preemptible there); a domU's line, or Xen's
/// own, is printed whole with no newline before it. So a long dom0 line can come out as
/// <c>first part(d1) a domU line</c> and then <c>rest of it</c>: reassembled, that is
/// <c>(d1) a domU line</c>, then <c>first partrest of it</c>. A bare guest's lines are taken
/// as they are.
/// </para>
/// </summary>
public sealed partial class ConsoleSplitter(bool underXen)
{
    [GeneratedRegex(@"\((?:d\d+|XEN)\) ")]
    private static partial Regex LinePrefix();

    [GeneratedRegex(@"^\(d(\d+)\) ")]
    private static partial Regex DomainPrefix();

    /// <summary>The timestamp forms of Xen's console_timestamps: boot, date, datems, raw.</summary>
    [GeneratedRegex(@"^\[(?: *\d+\.\d{6}|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{3})?|[0-9a-f]{16})\] ")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^DOM(\d+): ")]
    private static partial Regex Vpl011Prefix();

    private const string XenPrefix = "(XEN) ";

    private string _pendingDom0 = "";

    /// <summary>The console starts with the firmware's output (U-Boot): every line before Xen's
    /// first <c>(XEN) </c> line is the firmware's, not dom0's.</summary>
    public bool FirmwareFirst { get; init; }

    private bool _xenSeen;

    /// <summary>The whole lines that one more line from QEMU's standard output completes
    /// (none, while a dom0 line waits for its rest).</summary>
    public IReadOnlyList<ConsoleLine> Add(string raw)
    {
        string piece = raw.TrimEnd('\r');
        if (!underXen)
            return new[] { Classify(piece, underXen: false) };
        if (FirmwareFirst && !_xenSeen)
        {
            int xen = piece.IndexOf(XenPrefix, StringComparison.Ordinal);
            if (xen < 0)
                return new[] { new ConsoleLine(LineSource.Firmware, -1, piece, piece) };
            _xenSeen = true;
            if (xen > 0)
            {
                // The firmware's last words and Xen's first line, with no newline between.
                string firmware = piece[..xen];
                return new[] { new ConsoleLine(LineSource.Firmware, -1, firmware, firmware) }.Concat(Add(piece[xen..])).ToArray();
            }
        }
        string line = _pendingDom0 + piece;
        _pendingDom0 = "";
        // A dom0 line (no prefix of its own) with another's whole line after its first part.
        Match m = LinePrefix().Match(line);
        if (m.Success && m.Index > 0)
        {
            _pendingDom0 = line[..m.Index];
            return new[] { Classify(line[m.Index..], underXen: true) };
        }
        return new[] { Classify(line, underXen: true) };
    }

    /// <summary>What is left once the output has ended: a dom0 line whose rest never came.</summary>
    public IReadOnlyList<ConsoleLine> Finish()
    {
        if (_pendingDom0.Length == 0)
            return Array.Empty<ConsoleLine>();
        string line = _pendingDom0;
        _pendingDom0 = "";
        return new[] { Classify(line, underXen: true) };
    }

    /// <summary>Whole lines of a console log (each without its newline), split and attributed.</summary>
    public static IReadOnlyList<ConsoleLine> Split(IEnumerable<string> rawLines, bool underXen)
    {
        var splitter = new ConsoleSplitter(underXen);
        var lines = new List<ConsoleLine>();
        foreach (string raw in rawLines)
            lines.AddRange(splitter.Add(raw));
        lines.AddRange(splitter.Finish());
        return lines;
    }

    /// <summary>One whole line: who wrote it and its text without prefix and timestamp.</summary>
    public static ConsoleLine Classify(string line, bool underXen)
    {
        if (!underXen)
            return new ConsoleLine(LineSource.Domain, 0, line, line);
        if (line.StartsWith(XenPrefix, StringComparison.Ordinal))
        {
            string rest = WithoutTimestamp(line[XenPrefix.Length..]);
            Match vpl011 = Vpl011Prefix().Match(rest);
            if (vpl011.Success && TryDomid(vpl011.Groups[1].Value, out int uartDomain))
                return new ConsoleLine(LineSource.Domain, uartDomain, rest[vpl011.Length..], line);
            return new ConsoleLine(LineSource.Xen, -1, rest, line);
        }
        Match domain = DomainPrefix().Match(line);
        if (domain.Success && TryDomid(domain.Groups[1].Value, out int domid))
            return new ConsoleLine(LineSource.Domain, domid, WithoutTimestamp(line[domain.Length..]), line);
        return new ConsoleLine(LineSource.Domain, 0, line, line);
    }

    private static string WithoutTimestamp(string text)
    {
        Match m = Timestamp().Match(text);
        return m.Success ? text[m.Length..] : text;
    }

    /// <summary>A domid as Xen prints it: at most 32767 (DOMID_FIRST_RESERVED - 1).</summary>
    private static bool TryDomid(string digits, out int domid) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out domid) && domid < 0x7ff0;
}
