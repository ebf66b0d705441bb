using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using GuestStub.Launch.Flow;
using GuestStub.Launch.Serial;

namespace GuestStub.Launch.Running;

/// <summary>
/// A boot that has ended: the command that ran, how it ended, everything QEMU printed (in the
/// order it came) and the console in whole lines, by domain.
/// </summary>
public sealed class BootRun
{
    public BootRun(PreparedBoot prepared, BootOutcome outcome, string output, IReadOnlyList<ConsoleLine> lines)
    {
        Prepared = prepared;
        Outcome = outcome;
        Output = output;
        Lines = lines;
    }

    public PreparedBoot Prepared { get; }

    public QemuCommand Command => Prepared.Command;

    public BootOutcome Outcome { get; }

    /// <summary>QEMU's standard output and error as they came, lines joined by newlines.</summary>
    public string Output { get; }

    /// <summary>Every whole console line, in order.</summary>
    public IReadOnlyList<ConsoleLine> Lines { get; }

    private readonly Dictionary<int, DomainConsole> _domains = new();

    /// <summary>Domain <paramref name="domid"/>'s lines and report (empty when it printed nothing).</summary>
    public DomainConsole Domain(int domid)
    {
        lock (_domains)
        {
            if (!_domains.TryGetValue(domid, out DomainConsole? domain))
                _domains[domid] = domain = new DomainConsole(domid, Lines.Where(l => l.IsDomain(domid)).Select(l => l.Text).ToList());
            return domain;
        }
    }

    /// <summary>The domains the boot described: dom0 (or the bare guest) when there is one, then each domU.</summary>
    public IReadOnlyList<DomainConsole> Domains => Prepared.Boot.Domids.Select(Domain).ToList();

    /// <summary>Xen's own lines, without its prefix and timestamps.</summary>
    public IReadOnlyList<string> XenLines => Lines.Where(l => l.Source == LineSource.Xen).Select(l => l.Text).ToList();

    /// <summary>QEMU's own messages.</summary>
    public IReadOnlyList<string> QemuLines => Lines.Where(l => l.Source == LineSource.Qemu).Select(l => l.Text).ToList();

    /// <summary>The command, how it ended and everything it printed, for a failure message.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("command: ").AppendLine(Command.ShellLine);
        text.Append("outcome: ").Append(Outcome.Describe()).Append(", ")
            .Append(Outcome.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)).AppendLine(" s");
        text.AppendLine("----- output -----").Append(Output).AppendLine("----- end -----");
        return text.ToString();
    }
}
