using System;
using System.Collections.Generic;
using System.Linq;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;

namespace GuestStub.Launch.Matrix;

/// <summary>
/// Every configuration the stub supports, as data: dom0 under Xen with GICv2 and GICv3, 1, 2 and
/// 4 vCPUs, 1, 2, 4 and 8 GiB of machine memory (<c>dom0_mem=128M</c>) and the grant table at
/// region 0 or at ballooned pages (<c>gnttab=ballooned</c>), each running the checks a dom0
/// alone can (<see cref="Dom0AloneChecks"/>): 48 boots; then dom0 and two
/// dom0less domUs in one boot, as <c>gueststub run --domu</c>. All of it <c>repeat</c> times,
/// and on each Xen of a release matrix in turn (<c>--xen 4.17,4.20,PATH</c>). In the release
/// table the 48 dom0 boots are one column, <c>dom0</c>, and the other is
/// <c>dom0+2domU-gicv3</c>.
/// </summary>
public static class MatrixPlan
{
    public static readonly IReadOnlyList<GicVersion> Gics = new[] { GicVersion.V2, GicVersion.V3 };
    public static readonly IReadOnlyList<int> CpuCounts = new[] { 1, 2, 4 };
    public static readonly IReadOnlyList<MemorySize> Memories =
        new[] { MemorySize.Gibibytes(1), MemorySize.Gibibytes(2), MemorySize.Gibibytes(4), MemorySize.Gibibytes(8) };

    /// <summary>The grant table's placements: region 0 (the stub's default) or ballooned pages.</summary>
    public static readonly IReadOnlyList<string> GrantPlacements = new[] { "region0", "ballooned" };

    /// <summary>The checks a dom0 booted alone can run (gueststub.checks=): all but those that need
    /// a peer, which would end SKIP ("no other domain found") and so its Test result.</summary>
    public const string Dom0AloneChecks = "gueststub.checks=xen,grant,evtchn,ext-regions,scratch,teardown,domains,peers.discovery,errpath.foreign-self";

    /// <summary>Dom0's RAM in every dom0 boot.</summary>
    public static readonly MemorySize Dom0Memory = MemorySize.Mebibytes(128);

    /// <summary>The release table's column of the dom0-alone boots.</summary>
    public const string Dom0Column = "dom0";

    /// <summary>
    /// The boots on each of <paramref name="xens"/> in turn (the plan for one Xen, then the next),
    /// each label starting <c>xen=CHOICE</c> when there are several.
    /// </summary>
    public static IReadOnlyList<MatrixBoot> Boots(int repeat, string xenAppend, TimeSpan timeout, IReadOnlyList<string> xens)
    {
        if (xens.Count == 0)
            throw new LaunchException("--xen names no Xen: give 4.17, 4.20 or a path, or several separated by commas");
        if (xens.FirstOrDefault(x => xens.Count(y => y == x) > 1) is string twice)
            throw new LaunchException($"--xen names {twice} twice");
        // Logs and table columns are named by the file name: two paths of one name would share them.
        if (xens.GroupBy(Reports.BootVerdicts.XenChoiceName).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new LaunchException($"--xen names two Xens called {clash.Key} ({string.Join(", ", clash)}): their logs and columns would be one; copy one under another name");
        if (xens.Count == 1)
            return Boots(repeat, xenAppend, timeout, xens[0]);
        return xens.SelectMany(xen => Boots(repeat, xenAppend, timeout, xen)
            .Select(b => b with { Label = $"xen={Reports.BootVerdicts.XenChoiceName(xen)} {b.Label}" })).ToList();
    }

    /// <summary>A <c>--xen</c> value: one Xen, or several separated by commas.</summary>
    public static IReadOnlyList<string> XenList(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries).ToList() is var xens && xens.Any(x => x.Length == 0)
            ? throw new LaunchException($"--xen '{value}' has an empty name: give 4.17, 4.20 or a path, separated by commas")
            : xens;

    /// <summary>The boots on one Xen, in the order they run.</summary>
    public static IReadOnlyList<MatrixBoot> Boots(int repeat, string xenAppend, TimeSpan timeout, string xen)
    {
        if (repeat < 1)
            throw new LaunchException($"--repeat must be a positive number, not {repeat}");
        var boots = new List<MatrixBoot>();
        for (int run = 1; run <= repeat; run++)
        {
            foreach (GicVersion gic in Gics)
                foreach (int cpus in CpuCounts)
                    foreach (MemorySize memory in Memories)
                        foreach (string grant in GrantPlacements)
                        {
                            boots.Add(new MatrixBoot(
                                $"dom0 gic={(int)gic} cpus={cpus} memory={memory} dom0_mem={Dom0Memory} grant={grant} run={run}",
                                new BootShape
                                {
                                    Gic = gic, Cpus = cpus, Memory = memory, Dom0Memory = Dom0Memory,
                                    Append = grant == "ballooned" ? $"console=hvc0 gnttab=ballooned {Dom0AloneChecks}" : $"console=hvc0 {Dom0AloneChecks}",
                                    XenAppend = xenAppend, Timeout = timeout, Xen = xen,
                                })
                            {
                                Column = Dom0Column,
                                Name = $"dom0-gicv{(int)gic}-{cpus}cpus-{memory}-{grant}" + (repeat > 1 ? $"-run{run}" : ""),
                            });
                        }
            var domUs = new BootShape { DomUs = 2, XenAppend = xenAppend, Timeout = timeout, Xen = xen };
            boots.Add(new MatrixBoot($"dom0+2 domUs (dom0less) gic=3 cpus=1 memory=1G run={run}", domUs)
            {
                Name = ShapeName.Of(domUs) + (repeat > 1 ? $"-run{run}" : ""),
            });
        }
        return boots;
    }
}
