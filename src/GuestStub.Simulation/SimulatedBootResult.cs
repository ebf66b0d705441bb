using System.Collections.Generic;
using System.Linq;
using GuestStub.Boot;
using GuestStub.Launch.Reports;

namespace GuestStub.Simulation;

/// <summary>What a simulated boot printed and left behind.</summary>
public sealed class SimulatedBootResult
{
    /// <summary>The domain that booted.</summary>
    public ushort Domid { get; init; }

    public required string Output { get; init; }
    public required BootResult Result { get; init; }
    public required IReadOnlyList<string> BooksProblems { get; init; }

    /// <summary>Why the domain did not finish: the machine stopped under it (dom0's power-off
    /// halts the machine); null when it ran to its own end. <see cref="Output"/> is then what it
    /// printed until then.</summary>
    public string? CutOff { get; init; }

    private DomainReport? _parsed;

    /// <summary>What the domain reported, read by the launcher's one parser of report lines:
    /// the simulation's lines are held to the same form as the guest's.</summary>
    public DomainReport Parsed => _parsed ??= DomainReport.Parse(Output);

    /// <summary>The <c>report</c> lines, in order.</summary>
    public IEnumerable<string> ReportLines => Parsed.Entries.Select(e => e.ToString());

    /// <summary>The value of <c>report KEY VALUE</c> (the last, when it repeats), or null when the key is absent.</summary>
    public string? Report(string key) => Parsed.LastValue(key);
}
