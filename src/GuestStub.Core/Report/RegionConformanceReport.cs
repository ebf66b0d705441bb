using System;
using GuestStub.ExtendedRegions;
using GuestStub.Platform;
using GuestStub.Scratch;
using GuestStub.Text;

namespace GuestStub.Report;

/// <summary>
/// The verdicts of the extended-region rules (<see cref="RegionConformance"/>,
/// <see cref="RegionPageProbe"/>) and the <c>ext.unadvertised</c> line. A rule a region breaks
/// is a FAILURE naming the rule, the first such region and how many more: Xen advertised it.
/// No region in the node: SKIP; more than the stub holds: ERROR.
/// </summary>
public static class RegionConformanceReport
{
    /// <summary><c>ext-regions.alignment</c>, <c>.size</c>, <c>.disjoint</c>, then the free space
    /// within the stub's addressable range that Xen did not advertise, for information: one
    /// <c>report ext.unadvertised 0xSTART-0xEND</c> per range (a line each: a domU's console
    /// splits long lines), then <c>report ext.unadvertised.total 0xBYTES admissible 0xBYTES
    /// [unlisted N]</c>, admissible being what add_ext_regions would keep of it.</summary>
    public static void Judged<TSink>(ref TSink sink, ref CheckVerdicts checks, in ExtendedRegionSet set, in RegionConformance rules)
        where TSink : struct, ITextSink
    {
        bool notJudged = NotJudged(ref sink, ref checks, set, Check.ExtRegionsAlignment);
        NotJudged(ref sink, ref checks, set, Check.ExtRegionsSize);
        NotJudged(ref sink, ref checks, set, Check.ExtRegionsDisjoint);
        if (!notJudged)
        {
            Rule(ref sink, ref checks, Check.ExtRegionsAlignment, set, rules.MisalignedRegion, rules.MisalignedCount,
                "not 2 MiB aligned (add_ext_regions)"u8);
            Rule(ref sink, ref checks, Check.ExtRegionsSize, set, rules.SmallRegion, rules.SmallCount,
                "below 64 MiB (add_ext_regions)"u8);
            if (checks.Begin(ref sink, Check.ExtRegionsDisjoint, rules.OverlappingRegion == 0 ? Verdict.Success : Verdict.Failure))
            {
                if (rules.OverlappingRegion != 0)
                {
                    Region(ref sink, set, rules.OverlappingRegion);
                    sink.Write(" overlaps "u8);
                    sink.Write(OccupantText.Name(rules.Overlapped));
                    sink.Write(" "u8);
                    TextFormat.Range(ref sink, rules.OverlappedRange);
                    if (!rules.OverlappedNode.IsEmpty)
                    {
                        sink.Write(" "u8);
                        sink.Write(rules.OverlappedNode);
                    }
                    More(ref sink, rules.OverlappingCount);
                }
                sink.Write("\n"u8);
            }
        }

        for (int i = 0; i < rules.Unadvertised.Count; i++)
        {
            ReportLine.Begin(ref sink, "ext.unadvertised"u8);
            TextFormat.Range(ref sink, rules.Unadvertised[i]);
            sink.Write("\n"u8);
        }
        ReportLine.Begin(ref sink, "ext.unadvertised.total"u8);
        TextFormat.Hex(ref sink, rules.UnadvertisedBytes);
        sink.Write(" admissible "u8);
        TextFormat.Hex(ref sink, rules.AdmissibleBytes);
        if (rules.UnadvertisedMore != 0)
        {
            sink.Write(" unlisted "u8);
            TextFormat.Decimal(ref sink, (ulong)rules.UnadvertisedMore);
        }
        sink.Write("\n"u8);
    }

    /// <summary><c>ext-regions.usable</c>: SUCCESS when every page tried took the mapping and
    /// the data; the failure's verdict (<see cref="Blame"/>) naming the region and page; SKIP
    /// when no page could be tried.</summary>
    public static void Probed<TSink>(ref TSink sink, ref CheckVerdicts checks, in ExtendedRegionSet set, in RegionPageProbeResult probe)
        where TSink : struct, ITextSink
    {
        if (NotJudged(ref sink, ref checks, set, Check.ExtRegionsUsable))
            return;
        if (!probe.Ran)
        {
            checks.Write(ref sink, Check.ExtRegionsUsable, Verdict.Skip, Reason.NotRunNoGrant);
            return;
        }
        Verdict verdict = probe.Failure.IsFailure ? Blame.Of(probe.Failure) : probe.Pages == 0 ? Verdict.Skip : Verdict.Success;
        if (!checks.Begin(ref sink, Check.ExtRegionsUsable, verdict))
            return;
        if (probe.Failure.IsFailure)
        {
            Region(ref sink, set, probe.FailedRegion);
            sink.Write(" page "u8);
            TextFormat.Hex(ref sink, probe.FailedPage);
            sink.Write(": "u8);
            probe.Failure.Write(ref sink);
        }
        else if (probe.Pages == 0)
        {
            sink.Write(probe.Beyond != 0 ? " no page within the clamp"u8
                : " no region passed registration and disjoint"u8);
        }
        sink.Write("\n"u8);
    }

    /// <summary>The rule's verdict when the regions cannot be judged: none in the node (SKIP),
    /// more than the stub holds (ERROR). False when they can.</summary>
    private static bool NotJudged<TSink>(ref TSink sink, ref CheckVerdicts checks, in ExtendedRegionSet set, Check check)
        where TSink : struct, ITextSink
    {
        if (set.Status == ExtendedRegionStatus.NoRegions)
            checks.Write(ref sink, check, Verdict.Skip, Reason.NoExtendedRegion);
        else if (set.Status == ExtendedRegionStatus.TooManyRegions)
            checks.Write(ref sink, check, Verdict.Error, Reason.TooManyRegions, ExtendedRegionText.Name(set.Status));
        else
            return false;
        return true;
    }

    private static void Rule<TSink>(ref TSink sink, ref CheckVerdicts checks, Check check, in ExtendedRegionSet set, int region, int count,
        ReadOnlySpan<byte> rule) where TSink : struct, ITextSink
    {
        if (!checks.Begin(ref sink, check, region == 0 ? Verdict.Success : Verdict.Failure))
            return;
        if (region != 0)
        {
            Region(ref sink, set, region);
            sink.Write(" "u8);
            sink.Write(rule);
            More(ref sink, count);
        }
        sink.Write("\n"u8);
    }

    /// <summary>" region N 0xSTART-0xEND".</summary>
    private static void Region<TSink>(ref TSink sink, in ExtendedRegionSet set, int number) where TSink : struct, ITextSink
    {
        sink.Write(" region "u8);
        TextFormat.Decimal(ref sink, (ulong)number);
        sink.Write(" "u8);
        set.GetRegion(number - 1, out ulong start, out ulong size);
        TextFormat.AddressSize(ref sink, start, size);
    }

    private static void More<TSink>(ref TSink sink, int count) where TSink : struct, ITextSink
    {
        if (count <= 1)
            return;
        sink.Write(" (and "u8);
        TextFormat.Decimal(ref sink, (ulong)(count - 1));
        sink.Write(" more)"u8);
    }
}
