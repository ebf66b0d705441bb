using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.Cli.CommandLine;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Simulation;

namespace GuestStub.Cli.Commands;

/// <summary>One domain of a plan: its tree and what the guest would know besides.</summary>
internal sealed record PlanDomain(string Path, bool IsDomU, ushort Domid, string? Bootargs, ulong? DtbAddress, PhysicalRange? Image);

/// <summary>
/// <c>gueststub plan</c>'s command line: <c>DTB [options] [--domu DOMU.dtb [options]]...</c>.
/// The first tree is dom0's; each <c>--domu FILE</c> adds a dom0less domU (ids 1, 2, ... in
/// order, as Xen numbers them from /chosen, or <c>--domid</c>). Options after a tree are that
/// domain's (<c>--bootargs</c>, <c>--dtb-address</c>, <c>--image</c>, <c>--domid</c>); the
/// machine's (<c>--max-grant-frames</c>, <c>--clamp</c>, <c>--static-evtchn</c>, <c>--xen</c>) go anywhere,
/// once. A bare <c>--domu</c> (no file after it) makes the tree before it a domU, as before
/// there were several: <c>plan domu.dtb --domu</c> plans a domU with no dom0.
/// </summary>
internal sealed class PlanArguments
{
    public const string DomU = "--domu";

    private static readonly string[] DomainOptions = { "--bootargs", "--domid", "--dtb-address", "--image" };
    private static readonly string[] MachineOptions = { "--max-grant-frames", "--clamp", "--xen" };
    private static readonly string[] MachineFlags = { "--static-evtchn" };
    private static readonly string[] ValueOptions = DomainOptions.Concat(MachineOptions).ToArray();
    private static readonly string[] Flags = MachineFlags.Append(DomU).ToArray();

    public required IReadOnlyList<PlanDomain> Domains { get; init; }
    public required uint MaxGrantFrames { get; init; }
    public required ulong Clamp { get; init; }
    public required bool StaticEventChannels { get; init; }
    /// <summary>The Xen release modelled (<c>--xen VERSION</c>); null: the default, Debian 12's 4.17.</summary>
    public SimulatedXenRelease? Xen { get; init; }

    public PlanDomain? Dom0 => Domains.FirstOrDefault(d => !d.IsDomU);

    public static PlanArguments Parse(string[] args)
    {
        List<Segment> segments = Split(args);
        if (segments.All(s => s.Path is null))
            throw new UsageException("missing DTB file");
        var parsed = segments.Select(s => (Segment: s, Options: SegmentOptions.Parse(s.Tokens))).ToList();
        foreach ((Segment segment, SegmentOptions options) in parsed)
        {
            if (segment.Path is null)
                throw new UsageException($"options before any DTB file: give the tree first ({string.Join(" ", segment.Tokens)})");
            if (options.Has(DomU))
            {
                if (segment.StartedByDomU)
                    throw new UsageException($"option {DomU} given twice for {segment.Path}");
                segment.IsDomU = true;
            }
        }

        // The machine's options: anywhere, once.
        var machine = new SegmentOptions();
        foreach ((Segment _, SegmentOptions options) in parsed)
            foreach (string name in MachineOptions.Concat(MachineFlags).Where(options.Has))
                if (!machine.TryAdd(name, options.Value(name)))
                    throw new UsageException($"option {name} given twice");
        ulong maxFrames = machine.UnsignedValue("--max-grant-frames") ?? 64;
        if (maxFrames is 0 or > 4096)
            throw new UsageException("--max-grant-frames must be 1..4096");
        ulong clamp = machine.UnsignedValue("--clamp") ?? AddressableRange.StubMappingLimit;
        if (clamp == 0)
            throw new UsageException("--clamp must be above 0");

        var domains = new List<PlanDomain>();
        var taken = new HashSet<ushort>();
        ushort nextDomU = 1;
        foreach ((Segment segment, SegmentOptions options) in parsed)
        {
            ulong? given = options.UnsignedValue("--domid");
            if (!segment.IsDomU && given is ulong g && g != 0)
                throw new UsageException($"--domid applies to a domU only (dom0 is domain 0): {segment.Path}");
            if (given > BootOptions.MaxDomid)
                throw new UsageException($"--domid must be at most {BootOptions.MaxDomid}");
            if (segment.IsDomU && given == 0)
                throw new UsageException($"--domid 0 is dom0's: {segment.Path}");
            ushort domid = segment.IsDomU ? (ushort)(given ?? nextDomU) : (ushort)0;
            if (!taken.Add(domid))
                throw new UsageException(domid == 0 ? $"a second dom0 tree: {segment.Path} (a domU's tree follows {DomU})" : $"domain {domid} given twice");
            if (segment.IsDomU && given is null)
                nextDomU = (ushort)(domid + 1);
            domains.Add(new PlanDomain(segment.Path!, segment.IsDomU, domid, options.Value("--bootargs"), options.UnsignedValue("--dtb-address"),
                options.Value("--image") is string image ? ParseRange(image) : null));
        }

        SimulatedXenRelease? xen = null;
        if (machine.Value("--xen") is string version)
        {
            try
            {
                xen = SimulatedXenRelease.Parse(version);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--xen: {e.Message}");
            }
        }

        bool staticChannels = machine.Has("--static-evtchn");
        if (staticChannels && (domains.All(d => d.IsDomU) || domains.All(d => !d.IsDomU)))
            throw new UsageException("--static-evtchn needs dom0 and a domU: it binds a channel between them");
        return new PlanArguments
        {
            Domains = domains.OrderBy(d => d.Domid).ToList(),
            MaxGrantFrames = (uint)maxFrames,
            Clamp = clamp,
            StaticEventChannels = staticChannels,
            Xen = xen,
        };
    }

    /// <summary>The tokens cut at each tree: a positional starts the first domain, each
    /// <c>--domu FILE</c> another; a value option keeps its value with it.</summary>
    private static List<Segment> Split(string[] args)
    {
        var segments = new List<Segment> { new Segment() };
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            Segment current = segments[^1];
            if (a == DomU && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                segments.Add(new Segment { Path = args[++i], IsDomU = true, StartedByDomU = true });
            }
            else if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                if (current.Path is not null)
                    throw new UsageException($"unexpected argument '{a}': a domU's tree follows {DomU}");
                current.Path = a;
            }
            else
            {
                current.Tokens.Add(a);
                if (ValueOptions.Contains(a) && i + 1 < args.Length)
                    current.Tokens.Add(args[++i]);
            }
        }
        if (segments[0].Path is null && segments[0].Tokens.Count == 0 && segments.Count > 1)
            segments.RemoveAt(0);
        return segments;
    }

    /// <summary>"0xSTART-0xEND" (END exclusive), as the guest prints ranges.</summary>
    private static PhysicalRange ParseRange(string text)
    {
        string[] parts = text.Split('-');
        if (parts.Length != 2 || !CliValues.TryParseUnsigned(parts[0], out ulong start) || !CliValues.TryParseUnsigned(parts[1], out ulong end) ||
            !PhysicalRange.TryFromBounds(start, end, out PhysicalRange range) || range.IsEmpty)
            throw new UsageException($"--image: expected 0xSTART-0xEND with START < END, not '{text}'");
        return range;
    }

    private sealed class Segment
    {
        public string? Path;
        public bool IsDomU;
        public bool StartedByDomU;
        public readonly List<string> Tokens = new();
    }

    /// <summary>One tree's options (or the machine's): <c>--name value</c> and <c>--flag</c>,
    /// each once; anything else is a usage error naming it.</summary>
    private sealed class SegmentOptions
    {
        private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

        public static SegmentOptions Parse(IReadOnlyList<string> tokens)
        {
            var options = new SegmentOptions();
            for (int i = 0; i < tokens.Count; i++)
            {
                string name = tokens[i];
                string? value = null;
                if (ValueOptions.Contains(name))
                {
                    if (i + 1 >= tokens.Count)
                        throw new UsageException($"option {name} needs a value");
                    value = tokens[++i];
                }
                else if (!Flags.Contains(name))
                {
                    throw new UsageException($"unknown option {name}");
                }
                if (!options.TryAdd(name, value) && value is not null)
                    throw new UsageException($"option {name} given twice");
            }
            return options;
        }

        public bool TryAdd(string name, string? value) => _values.TryAdd(name, value);

        public bool Has(string name) => _values.ContainsKey(name);

        public string? Value(string name) => _values.GetValueOrDefault(name);

        public ulong? UnsignedValue(string name)
        {
            string? text = Value(name);
            if (text is null)
                return null;
            if (!CliValues.TryParseUnsigned(text, out ulong v))
                throw new UsageException($"option {name}: '{text}' is not a number");
            return v;
        }
    }
}
