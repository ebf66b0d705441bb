using System.Collections.Generic;

namespace GuestStub.Launch.Running;

/// <summary>One domain's share of a boot's console: its lines (without Xen's prefixes and
/// timestamps), in order, and its report parsed from them.</summary>
public sealed class DomainConsole
{
    private Reports.DomainReport? _report;

    public DomainConsole(int domid, IReadOnlyList<string> lines)
    {
        Domid = domid;
        Lines = lines;
    }

    public int Domid { get; }

    public IReadOnlyList<string> Lines { get; }

    public Reports.DomainReport Report => _report ??= Reports.DomainReport.Parse(Lines);

    /// <summary>"dom0", "d1", ...: how messages name the domain.</summary>
    public string Name => Domid == 0 ? "dom0" : "d" + Domid.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
