using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using GuestStub.Boot;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;

namespace GuestStub.Simulation;

/// <summary>What a simulated boot printed and left behind.</summary>
public sealed class SimulatedBootResult
{
    public required string Output { get; init; }
    public required BootResult Result { get; init; }
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
    public ulong AddressableLimit { get; init; } = AddressableRange.StubMappingLimit;
}

/// <summary>The host's counter for benchmarks under the simulation.</summary>
public struct StopwatchTicks : ITickSource
{
    public ulong ReadTicks() => (ulong)System.Diagnostics.Stopwatch.GetTimestamp();

    public ulong TicksPerSecond() => (ulong)System.Diagnostics.Stopwatch.Frequency;
}

/// <summary>
/// Runs the stub's boot (Core's front end, then its boot pipeline with the report) for a DTB
/// against a <see cref="SimulatedXen"/>, as the guest runs it against the real one: the DTB's
/// boot facts, its RAM banks as the model's RAM, optional bootargs replacing /chosen's.
/// </summary>
public static class SimulatedBoot
{
    /// <summary>Thrown for a DTB the stub would refuse; the message is the guest's wording.</summary>
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
    public static unsafe SimulatedBootResult Run(SimulatedXen xen, byte[] dtb, string? bootargs, GuestPlacement? place = null)
    {
        place ??= new GuestPlacement();
        byte[] args = bootargs is null ? Array.Empty<byte>() : Encoding.ASCII.GetBytes(bootargs);
        BootDtb boot = Open(dtb, place, bootargs is not null, args);

        var hypercalls = new SimulatedHypercalls(xen);
        var memory = new SimulatedMemory(xen);
        var interrupts = new SimulatedInterrupts(xen, xen.GuestEvents);
        var clock = new StopwatchTicks();
        var report = new BootReport<TextCapture>(new TextCapture(new StringBuilder()));
        BootSession.Run(ref hypercalls, ref memory, ref interrupts, ref clock, ref *xen.GuestEvents, ref report, boot,
            AddressableRange.BelowLimit(place.AddressableLimit), out BootResult result);
        return new SimulatedBootResult { Output = report.Sink.ToString(), Result = result, BooksProblems = xen.CheckBooks() };
    }

    /// <summary>The RAM banks of <paramref name="dtb"/>, as the front end reads them.</summary>
    public static IReadOnlyList<PhysicalRange> ReadRam(byte[] dtb)
    {
        BootDtb boot = Open(dtb, new GuestPlacement(), false, default);
        var ram = new List<PhysicalRange>();
        for (int i = 0; i < boot.Facts.Memory.Count; i++)
            ram.Add(boot.Facts.Memory[i]);
        return ram;
    }

    /// <summary>Core's front end over <paramref name="dtb"/>, placed as <paramref name="place"/> says.</summary>
    public static BootDtb Open(byte[] dtb, GuestPlacement place, bool replaceBootargs, ReadOnlySpan<byte> bootargs)
    {
        var placement = new DtbPlacement(place.DtbAddress.HasValue, place.DtbAddress ?? 0, place.Image ?? default,
            replaceBootargs, bootargs);
        DtbStatus status = BootDtb.Open(dtb, placement, out BootDtb boot);
        if (!status.IsOk)
            throw new InvalidDtbException(HostText.Dtb(status), status);
        return boot;
    }
}
