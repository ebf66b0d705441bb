using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Launch;
using GuestStub.Launch.Running;
using Xunit.Sdk;

namespace GuestStub.Boot.Tests;

/// <summary>
/// The boot tests' way into the launcher: a shape (<see cref="BootShape"/>, the options of
/// <c>gueststub run</c>) booted as <c>gueststub run</c> boots it, each in a scratch directory,
/// with the Xen the suite was told to use (<c>GUESTSTUB_XEN</c>, else 4.17). The launcher builds
/// every command line and reads every report; the tests only assert.
/// </summary>
internal static class Boots
{
    public static ProjectLayout Layout => new(RepoPaths.Root);

    public static BootRun Run(BootShape shape) =>
        Launcher.Run(Describe(shape), RepoPaths.TempDirectory("boot"));

    /// <summary>The description the launcher boots for <paramref name="shape"/>.</summary>
    public static BootDescription Describe(BootShape shape) => (shape with { Xen = RepoPaths.XenChoice }).Describe(Layout);

    /// <summary>The tree QEMU virt gives a bare boot of <paramref name="shape"/>, dumped to
    /// <paramref name="path"/>, for tests that hand the guest an edited copy.</summary>
    public static string DumpBareTree(string path, BootShape shape) =>
        GuestStub.Launch.Tree.HostTreeBuilder.Dump(Describe(shape with { Bare = true }).Machine, path);

    public static BootRun Bare(BootShape? shape = null) => Run((shape ?? new BootShape()) with { Bare = true });

    /// <summary>The guest as dom0 under Xen, through QEMU's guest-loader.</summary>
    public static BootRun XenDom0(BootShape? shape = null) => Run(shape ?? new BootShape());

    /// <summary>Dom0 and dom0less domUs (one unless the shape says how many), all the guest
    /// unless the shape names the domUs' image, in one Xen boot, with no stub arguments: the
    /// domUs learn their domid from Xen and dom0 waits for them before it halts the machine.</summary>
    public static BootRun XenWithDomU(BootShape? shape = null)
    {
        shape ??= new BootShape();
        return Run(shape.DomUs == 0 ? shape with { DomUs = 1 } : shape);
    }
}

/// <summary>What the tests ask of a finished boot, with the whole console in every failure.</summary>
internal static class BootRunAssertions
{
    /// <summary>Dom0's (or the bare guest's) single <c>report KEY</c> value; null when absent.</summary>
    public static string? Report(this BootRun run, string key) => run.Report(0, key);

    public static string? Report(this BootRun run, int domid, string key)
    {
        try
        {
            return run.Domain(domid).Report.Value(key);
        }
        catch (GuestStub.Launch.Reports.ReportKeyRepeatedException e)
        {
            throw new XunitException($"{e.Message}\n{run.Describe()}");
        }
    }

    /// <summary>Every value of dom0's <c>report KEY</c>.</summary>
    public static IReadOnlyList<string> ReportAll(this BootRun run, string key) => run.Domain(0).Report.Values(key);

    /// <summary>Dom0's (or the bare guest's) lines.</summary>
    public static IReadOnlyList<string> GuestLines(this BootRun run) => run.Domain(0).Lines;

    /// <summary>Every console line as the console showed it (dom0's split lines joined).</summary>
    public static IReadOnlyList<string> RawLines(this BootRun run) => run.Lines.Select(l => l.Raw).ToList();

    /// <summary>The first match of a regular expression against the whole console; fails when absent.</summary>
    public static Match Find(this BootRun run, string pattern)
    {
        Match m = Regex.Match(string.Join("\n", run.RawLines()), pattern, RegexOptions.Multiline);
        if (!m.Success)
            throw new XunitException($"no match for /{pattern}/\n{run.Describe()}");
        return m;
    }

    /// <summary>The domain's report as key -> value; keys that repeat (ext.region, ext.hole,
    /// scratch.chunk) keep their last value.</summary>
    public static Dictionary<string, string> DomUReport(this BootRun run, int domid = 1)
    {
        var entries = run.Domain(domid).Report.Entries;
        if (entries.Count == 0)
            throw new XunitException($"d{domid} reported nothing\n{run.Describe()}");
        return entries.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value);
    }

    public static void AssertPoweredOff(this BootRun run)
    {
        if (!run.Outcome.PoweredOff)
            throw new XunitException($"the machine did not power off by itself: {run.Outcome.Describe()}\n{run.Describe()}");
    }
}
