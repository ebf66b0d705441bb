using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using GuestStub.Boot;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;

namespace GuestStub.Simulation;

/// <summary>What a simulated boot printed and left behind.</summary>
public sealed class SimulatedBootResult
{
    public required string Output { get; init; }
    public required BootOutcome Outcome { get; init; }
    public required IReadOnlyList<string> BooksProblems { get; init; }

    /// <summary>The <c>report</c> lines, in order.</summary>
    public IEnumerable<string> ReportLines =>
        Output.Split('\n').Where(l => l.StartsWith("report ", StringComparison.Ordinal));

    /// <summary>The value of <c>report KEY VALUE</c>, or null when the key is absent.</summary>
    public string? Report(string key) =>
        ReportLines.Select(l => l.Substring("report ".Length))
            .Where(l => l.StartsWith(key + " ", StringComparison.Ordinal))
            .Select(l => l.Substring(key.Length + 1)).LastOrDefault();
}

/// <summary>What the guest knows besides its tree: where the tree and its image were loaded
/// (both become reserved ranges, as in the guest) and its addressable limit.</summary>
public sealed record GuestPlacement
{
    /// <summary>The DTB's load address (its size is the blob's totalsize); null: not placed.</summary>
    public ulong? DtbAddress { get; init; }

    /// <summary>The stub image's range; null: not placed.</summary>
    public PhysicalRange? Image { get; init; }

    /// <summary>The exclusive addressable limit: 2^min(PA bits, 39) in the guest.</summary>
    public ulong AddressableLimit { get; init; } = 1UL << AddressableRange.StubMappingBits;
}

/// <summary>The host's counter for gueststub.bench=scratch under the simulation.</summary>
public struct StopwatchTicks : ITickSource
{
    public ulong ReadTicks() => (ulong)System.Diagnostics.Stopwatch.GetTimestamp();

    public ulong TicksPerSecond() => (ulong)System.Diagnostics.Stopwatch.Frequency;
}

/// <summary>
/// Runs the stub's boot sequence (GuestStub.Core Boot/) for a DTB against a <see cref="SimulatedXen"/>,
/// as the guest runs it against the real one: the DTB's boot facts, its RAM banks as the
/// model's RAM, optional bootargs replacing /chosen's.
/// </summary>
public static class SimulatedBoot
{
    /// <summary>Thrown for a DTB the stub would refuse.</summary>
    public sealed class InvalidDtbException(string message, DtbStatus? status = null) : Exception(message)
    {
        /// <summary>The reader's cause and byte offset, when the DTB failed validation.</summary>
        public DtbStatus? Status { get; } = status;
    }

    /// <param name="configure">Builds the model's options from the DTB's RAM banks.</param>
    /// <param name="prepare">Called with the model before the boot (fault injection).</param>
    /// <param name="place">Where the guest would find the DTB and its image, and its clamp
    /// (default: neither placed, clamp 2^39 as the guest on QEMU virt's cortex-a57).</param>
    public static SimulatedBootResult Run(byte[] dtb, string? bootargs, Func<IReadOnlyList<PhysicalRange>, SimulatedXenOptions> configure,
        Action<SimulatedXen>? prepare = null, GuestPlacement? place = null)
    {
        using var xen = CreateModel(dtb, configure);
        prepare?.Invoke(xen);
        return Run(xen, dtb, bootargs, place);
    }

    /// <summary>A model whose RAM is the DTB's memory banks.</summary>
    public static SimulatedXen CreateModel(byte[] dtb, Func<IReadOnlyList<PhysicalRange>, SimulatedXenOptions> configure) =>
        new(configure(ReadRam(dtb)));

    /// <summary>Boots once more against an existing model (re-initialisation after teardown).</summary>
    public static SimulatedBootResult Run(SimulatedXen xen, byte[] dtb, string? bootargs, GuestPlacement? place = null)
    {
        place ??= new GuestPlacement();
        Dtb tree = Open(dtb);
        PhysicalRange dtbRange = default;
        if (place.DtbAddress is ulong dtbAddress && !PhysicalRange.TryCreate(dtbAddress, (ulong)tree.TotalSize, out dtbRange))
            throw new InvalidDtbException($"a DTB of {tree.TotalSize} bytes does not fit at 0x{dtbAddress:x}");
        PhysicalRange image = place.Image ?? default;
        BootFacts facts = ReadFacts(tree, dtbRange, image);
        byte[] args = bootargs is null ? Array.Empty<byte>() : Encoding.ASCII.GetBytes(bootargs);
        if (bootargs is not null)
        {
            facts.HasBootargs = true;
            facts.Bootargs = args;
        }

        var text = new StringBuilder();
        var sink = new TextCapture(text);
        var hv = new SimulatedHypervisor(xen);
        var env = BootEnvironment.Create(dtbRange, image, AddressableRange.BelowLimit(place.AddressableLimit));
        var clock = new StopwatchTicks();
        BootOutcome outcome = BootSequence.Run(ref hv, ref sink, facts, env, ref clock);
        return new SimulatedBootResult { Output = text.ToString(), Outcome = outcome, BooksProblems = xen.CheckBooks() };
    }

    public static IReadOnlyList<PhysicalRange> ReadRam(byte[] dtb)
    {
        BootFacts facts = ReadFacts(Open(dtb), default, default);
        var ram = new List<PhysicalRange>();
        for (int i = 0; i < facts.Memory.Count; i++)
            ram.Add(facts.Memory[i]);
        return ram;
    }

    private static Dtb Open(byte[] dtb)
    {
        DtbStatus status = Dtb.Open(dtb, out Dtb tree);
        if (!status.IsOk)
            throw new InvalidDtbException($"invalid DTB: {status.Error} at offset {status.Offset}", status);
        return tree;
    }

    private static BootFacts ReadFacts(in Dtb tree, PhysicalRange dtbRange, PhysicalRange image)
    {
        DtbStatus status = BootFacts.Read(tree, dtbRange, image, out BootFacts facts);
        if (!status.IsOk)
            throw new InvalidDtbException($"boot facts: {status.Error} at offset {status.Offset}", status);
        return facts;
    }
}
