using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;

namespace GuestStub.Launch.Bench;

/// <summary>
/// One in-guest benchmark boot of <c>gueststub bench-guest</c>: its name (what <c>--only</c>
/// takes), what it measures, the boot, and what that boot must show to count. Each is run
/// twice and its figures compared (<see cref="GuestBench.Compare"/>).
/// </summary>
public sealed record GuestBenchmark(string Name, string Measures, BootDescription Boot, Func<BootRun, IReadOnlyList<string>> Problems)
{
    /// <summary>The names <c>--only</c> takes: <c>dtb</c> and <c>map</c>.</summary>
    public static readonly IReadOnlyList<string> Families = new[] { "dtb", "map" };

    /// <summary>
    /// The benchmarks of one <c>bench-guest</c> run, in the order they boot: <c>dtb</c> (the DTB
    /// reader against libfdt and the scratch pool, the test image alone, bare or as dom0), then
    /// under Xen <c>map-gicv3</c> and <c>map-gicv2</c> (issue 23: foreign and grant maps at each
    /// batch size against one call per page, the whole-domU pass and the event-channel round
    /// trip, dom0 with a 256 MiB domU peer; on both GICs, since the round trip goes through
    /// each one's interrupt path). <paramref name="only"/> keeps the families it names.
    /// </summary>
    public static IReadOnlyList<GuestBenchmark> Plan(ProjectLayout layout, string xen, bool bare, IReadOnlyCollection<string> only)
    {
        foreach (string name in only.Where(n => !Families.Contains(n)))
            throw new LaunchException($"--only takes {string.Join(" or ", Families)}, not '{name}'");
        bool wanted(string family) => only.Count == 0 || only.Contains(family);
        if (bare && only.Contains("map"))
            throw new LaunchException("--only map needs Xen (dom0 maps a domU's pages): it cannot be combined with --bare");

        var plan = new List<GuestBenchmark>();
        if (wanted("dtb"))
        {
            var shape = new BootShape { Bare = bare, Tests = true, Icount = true, Timeout = GuestBench.Timeout, Append = GuestBench.BootArgument, Xen = xen };
            plan.Add(new GuestBenchmark("dtb", "the DTB reader against libfdt, scratch pages", shape.Describe(layout), run => GuestBench.Problems(run)));
        }
        if (wanted("map") && !bare)
        {
            foreach (GicVersion gic in new[] { GicVersion.V3, GicVersion.V2 })
                plan.Add(new GuestBenchmark($"map-gicv{(int)gic}", "foreign and grant maps per batch size, a whole 256 MiB domU, the event-channel round trip",
                    MapBoot(layout, xen, gic, "map"), MapProblems));
        }
        return plan;
    }

    /// <summary>The mapping benchmark's boot (tests/GuestStub.GuestTests/Bench/MapBench.cs):
    /// the test image as dom0 with <c>guest-tests.bench=<paramref name="dom0Bench"/></c>
    /// (<c>map</c>: every figure; <c>map-scale</c>: the whole-domain pass only) and as a 256 MiB
    /// dom0less domU with <c>guest-tests.bench=map-peer</c>, under <c>-icount</c>.</summary>
    public static BootDescription MapBoot(ProjectLayout layout, string xen, GicVersion gic, string dom0Bench)
    {
        BootDescription shape = new BootShape { Tests = true, DomUs = 1, Gic = gic, Icount = true, Xen = xen }.Describe(layout);
        return shape with
        {
            Dom0 = shape.Dom0! with { Bootargs = GuestBench.BootArgument + "=" + dom0Bench },
            DomUs = new[] { shape.DomUs[0] with { Memory = PeerMemory, Bootargs = GuestBench.BootArgument + "=map-peer" } },
            Timeout = GuestBench.Timeout,
        };
    }

    /// <summary>The peer's RAM: 65,536 frames, a whole domain in one run of scratch pages at
    /// Xen's largest batch (65,535) and one more call.</summary>
    public static readonly MemorySize PeerMemory = MemorySize.Mebibytes(256);

    /// <summary>What is wrong with a mapping benchmark boot; empty when it is fine.</summary>
    private static IReadOnlyList<string> MapProblems(BootRun run)
    {
        var problems = new List<string>();
        if (!run.Outcome.PoweredOff)
            problems.Add("the benchmark boot failed or timed out: " + run.Outcome.Describe());
        foreach (DomainConsole domain in run.Domains)
            problems.AddRange(domain.Lines.Where(l => l.StartsWith("guest-bench: FAIL", StringComparison.Ordinal)).Select(l => $"domain {domain.Domid}: {l}"));
        if (run.Domain(0).Report.LastValue("bench.map.peer_finished") != "ok")
            problems.Add("dom0 did not see the peer finish (no report bench.map.peer_finished ok)");
        if (run.Domain(0).Report.LastValue("bench.whole.verdict") != "ok")
            problems.Add("the whole-domain pass did not end ok (report bench.whole.verdict)");
        if (GuestBench.Figures(run.Domain(0).Report).Count == 0)
            problems.Add("no report bench lines");
        return problems;
    }
}
