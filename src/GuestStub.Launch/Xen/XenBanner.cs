using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using GuestStub.Launch.Serial;

namespace GuestStub.Launch.Xen;

/// <summary>
/// Which Xen a boot ran on, as Xen itself says it in its first console line
/// (xen/drivers/char/console.c, console_init_preirq: <c>Xen version 4.17.7 (Debian 4.17.7+13-...)
/// (builder) (compiler) debug=n DATE</c>): the release, the build's own words and whether it is a
/// debug build. A debug Xen counts differently (its assertions) and prints a domU's HVC output
/// at any log level, so both belong beside any figure or verdict.
/// </summary>
public sealed record XenBanner(string Version, string Build, bool Debug)
{
    private static readonly Regex s_banner = new(
        @"^Xen version (?<version>\S+) \((?<build>[^)]*)\).* debug=(?<debug>[yn])\b",
        RegexOptions.CultureInvariant);

    /// <summary>The banner among Xen's lines, or null when Xen printed none (a bare boot, or
    /// a Xen that died before its console).</summary>
    public static XenBanner? Find(IEnumerable<ConsoleLine> lines)
    {
        foreach (ConsoleLine line in lines)
        {
            if (line.Source != LineSource.Xen)
                continue;
            Match m = s_banner.Match(line.Text);
            if (m.Success)
                return new XenBanner(m.Groups["version"].Value, m.Groups["build"].Value, m.Groups["debug"].Value == "y");
        }
        return null;
    }

    /// <summary>The release, major.minor (<c>4.21</c> of <c>4.21.2</c>, <c>4.20</c> of
    /// <c>4.20.5-pre</c>): what Xen's interfaces are versioned by.</summary>
    public string Release => Regex.Match(Version, @"^\d+\.\d+").Value is { Length: > 0 } release ? release : Version;

    /// <summary>For people: <c>Xen 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1)</c>, and
    /// <c>, debug build</c> when it is one.</summary>
    public override string ToString() => $"Xen {Version} ({Build})" + (Debug ? ", debug build" : "");
}
