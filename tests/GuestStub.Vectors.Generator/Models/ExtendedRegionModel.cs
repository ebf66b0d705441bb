using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// What registering a <see cref="RegionCase"/> must give, computed here independently of Core
/// from the rules as Linux's arch_xen_unpopulated_init and the stub's README state them:
/// at most 31 regions; each region's shape (zero size, end past 2^64, 4 KiB alignment); the set's
/// order over the regions that have a range (disorder, overlap: the whole set refused); each
/// region against region 0, the DTB, the image, RAM and reserved ranges, in that order; the
/// resource [first accepted start, last accepted end) cut to the clamp; the gaps between
/// consecutive accepted regions cut to the resource. Rendered as RegionSetText renders a set.
/// </summary>
public sealed class ExtendedRegionModel
{
    public const int Capacity = 31;

    public string Status = "ok";
    public (int First, int Second)? Pair;
    public Span64? Resource;
    public readonly List<Span64> Holes = new();
    public readonly List<(Span64 Region, string Verdict, Span64? Conflict)> Regions = new();

    public bool HasResource => Status == "ok";

    public static ExtendedRegionModel Register(RegionCase c)
    {
        var m = new ExtendedRegionModel();
        List<Span64> regions = c.Regions.Take(Capacity).ToList();
        if (c.Regions.Count > Capacity)
        {
            // Complete refuses before judging anything: every region stays "accepted" (unjudged).
            m.Status = "too-many-regions";
            m.Regions.AddRange(regions.Select(r => (r, "accepted", (Span64?)null)));
            return m;
        }
        if (regions.Count == 0)
        {
            m.Status = "no-regions";
            return m;
        }
        var verdicts = regions.Select(Shape).ToList();

        int previous = -1;
        for (int i = 0; i < regions.Count; i++)
        {
            if (verdicts[i] is "zero-size" or "end-overflow")
                continue;
            if (previous >= 0 && (regions[i].Start < regions[previous].Start || regions[i].Start < regions[previous].End))
            {
                m.Status = regions[i].Start < regions[previous].Start ? "disorder" : "overlap";
                m.Pair = (previous + 1, i + 1);
                m.Regions.AddRange(regions.Select((r, j) => (r, verdicts[j], (Span64?)null)));
                return m;
            }
            previous = i;
        }

        var conflicts = new Span64?[regions.Count];
        for (int i = 0; i < regions.Count; i++)
        {
            if (verdicts[i] != "accepted")
                continue;
            (string verdict, Span64? conflict) = Conflict(regions[i], c);
            verdicts[i] = verdict;
            conflicts[i] = conflict;
        }
        m.Regions.AddRange(regions.Select((r, j) => (r, verdicts[j], conflicts[j])));
        var accepted = regions.Where((r, j) => verdicts[j] == "accepted").ToList();
        if (accepted.Count == 0)
        {
            m.Status = "all-rejected";
            return m;
        }
        ulong low = Math.Max(accepted[0].Start, c.Clamp.Start);
        ulong high = Math.Min(accepted[^1].End, c.Clamp.End);
        if (c.Clamp.IsEmpty || low >= high)
        {
            m.Status = "outside-clamp";
            return m;
        }
        m.Resource = Span64.FromBounds(low, high);
        for (int i = 1; i < accepted.Count; i++)
        {
            ulong gapStart = Math.Max(accepted[i - 1].End, low);
            ulong gapEnd = Math.Min(accepted[i].Start, high);
            if (gapStart < gapEnd)
                m.Holes.Add(Span64.FromBounds(gapStart, gapEnd));
        }
        return m;
    }

    private static string Shape(Span64 r) =>
        r.Size == 0 ? "zero-size" : r.EndOverflows ? "end-overflow" : ((r.Start | r.Size) & 0xfff) != 0 ? "misaligned" : "accepted";

    private static (string, Span64?) Conflict(Span64 region, RegionCase c)
    {
        if (region.Overlaps(c.Grant)) return ("overlaps-grant-table", c.Grant);
        if (region.Overlaps(c.Dtb)) return ("overlaps-dtb", c.Dtb);
        if (region.Overlaps(c.Image)) return ("overlaps-image", c.Image);
        foreach (Span64 ram in c.Ram)
            if (region.Overlaps(ram)) return ("overlaps-ram", ram);
        foreach (Span64 reserved in c.Reserved)
            if (region.Overlaps(reserved)) return ("overlaps-reserved", reserved);
        return ("accepted", null);
    }

    /// <summary>IsUsable: inside the resource and clear of every hole.</summary>
    public bool IsUsable(Span64 probe) =>
        HasResource && !probe.IsEmpty && probe.Start >= Resource!.Value.Start && probe.End <= Resource.Value.End &&
        !Holes.Any(h => h.Overlaps(probe));

    /// <summary>The text RegionSetText writes, then a "usable" line per probe.</summary>
    public string Render(IEnumerable<Span64> probes)
    {
        var b = new StringBuilder();
        b.Append("status ").Append(Status);
        if (Pair is (int first, int second))
            b.Append(' ').Append(first).Append(' ').Append(second);
        b.Append('\n');
        b.Append(Resource is Span64 r ? "resource " + Hex.Range(r.Start, r.End) : "resource none").Append('\n');
        foreach (Span64 h in Holes)
            b.Append("hole ").Append(Hex.Range(h.Start, h.End)).Append('\n');
        for (int i = 0; i < Regions.Count; i++)
        {
            (Span64 region, string verdict, Span64? conflict) = Regions[i];
            b.Append("region ").Append(i + 1).Append(' ').Append(Hex.Of(region.Start)).Append('+').Append(Hex.Of(region.Size))
                .Append(' ').Append(verdict);
            if (conflict is Span64 x)
                b.Append(' ').Append(Hex.Range(x.Start, x.End));
            b.Append('\n');
        }
        foreach (Span64 p in probes)
            b.Append("usable ").Append(Hex.Range(p.Start, p.End)).Append(IsUsable(p) ? " yes\n" : " no\n");
        return b.ToString();
    }
}
