using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.Boot;

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

    /// <summary>The <c>report</c> lines, in order.</summary>
    public IEnumerable<string> ReportLines =>
        Output.Split('\n').Where(l => l.StartsWith("report ", StringComparison.Ordinal));

    /// <summary>The value of <c>report KEY VALUE</c>, or null when the key is absent.</summary>
    public string? Report(string key) =>
        ReportLines.Select(l => l.Substring("report ".Length))
            .Where(l => l.StartsWith(key + " ", StringComparison.Ordinal))
            .Select(l => l.Substring(key.Length + 1)).LastOrDefault();
}
