using System;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Text;

namespace GuestStub.Report;

/// <summary>
/// The report lines of registration, in this order:
/// <c>ext.region</c> per region as found in the tree (to diff against Xen's "extended region"
/// log lines), <c>ext.rejected &lt;range&gt; &lt;reason&gt; [&lt;occupied range&gt;]</c> per
/// rejected region, <c>ext.clamp</c> (the addressable range), <c>ext.resource</c> (the target
/// resource, or "none &lt;reason&gt; [&lt;region&gt; &lt;region&gt;]"), <c>ext.hole</c> per gap.
/// Lines go through <see cref="ReportLine"/>. A region whose end passes 2^64 has no half-open form and is written "0xSTART+0xSIZE".
/// </summary>
public static class ExtendedRegionReport
{
    /// <summary>The summary line, then the report lines, then ext-regions.registration: the
    /// regions 1..N in ascending order, disjoint, registered as a target resource. None in the
    /// node, or all beyond what the stub can address: SKIP. Out of order, overlapping, every one
    /// rejected (ext.rejected names why): FAILURE, Xen's node is wrong. More than the stub can
    /// hold: ERROR.</summary>
    public static void Write<TSink>(ref TSink sink, ref CheckVerdicts checks, in ExtendedRegionSet set) where TSink : struct, ITextSink
    {
        Write(ref sink, set);
        ReadOnlySpan<byte> status = ExtendedRegionText.Name(set.Status);
        switch (set.Status)
        {
            case ExtendedRegionStatus.Ok:
                checks.Write(ref sink, Check.ExtRegionsRegistration, Verdict.Success);
                break;
            case ExtendedRegionStatus.NoRegions:
                checks.Write(ref sink, Check.ExtRegionsRegistration, Verdict.Skip, Reason.NoExtendedRegion);
                break;
            case ExtendedRegionStatus.OutsideAddressable:
                checks.Write(ref sink, Check.ExtRegionsRegistration, Verdict.Skip, Reason.RegionsBeyondAddressable, status);
                break;
            case ExtendedRegionStatus.TooManyRegions:
                checks.Write(ref sink, Check.ExtRegionsRegistration, Verdict.Error, Reason.TooManyRegions, status);
                break;
            default:
                checks.Write(ref sink, Check.ExtRegionsRegistration, Verdict.Failure, Reason.NoTargetResource, status);
                break;
        }
    }

    /// <summary>The summary line, then the report lines.</summary>
    public static void Write<TSink>(ref TSink sink, in ExtendedRegionSet set) where TSink : struct, ITextSink
    {
        Progress(ref sink, set);
        Lines(ref sink, set);
    }

    /// <summary>"GuestStub: extended regions: N found[, M rejected], target resource R (H holes,
    /// clamped to C)", or why there is no target resource.</summary>
    public static void Progress<TSink>(ref TSink sink, in ExtendedRegionSet set) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: extended regions: "u8);
        TextFormat.Decimal(ref sink, (ulong)set.RegionCount);
        sink.Write(" found"u8);
        int rejected = 0;
        for (int i = 0; i < set.RegionCount; i++)
            if (set.Rejection(i) != RegionRejection.None)
                rejected++;
        if (rejected != 0)
        {
            sink.Write(", "u8);
            TextFormat.Decimal(ref sink, (ulong)rejected);
            sink.Write(" rejected"u8);
        }
        if (set.HasResource)
        {
            sink.Write(", target resource "u8);
            TextFormat.Range(ref sink, set.Resource);
            sink.Write(" ("u8);
            TextFormat.Decimal(ref sink, (ulong)set.Holes.Count);
            sink.Write(" holes, clamped to "u8);
            TextFormat.Range(ref sink, set.Addressable);
            sink.Write(")\n"u8);
        }
        else
        {
            sink.Write(", no target resource ("u8);
            sink.Write(ExtendedRegionText.Name(set.Status));
            sink.Write("): scratch pages will be ballooned RAM pages\n"u8);
        }
    }

    /// <summary>The report lines alone (the host tool's map prints these too).</summary>
    public static void Lines<TSink>(ref TSink sink, in ExtendedRegionSet set) where TSink : struct, ITextSink
    {
        for (int i = 0; i < set.RegionCount; i++)
        {
            ReportLine.Begin(ref sink, "ext.region"u8);
            WriteRegion(ref sink, set, i);
            sink.Write("\n"u8);
        }

        for (int i = 0; i < set.RegionCount; i++)
        {
            RegionRejection why = set.Rejection(i);
            if (why == RegionRejection.None)
                continue;
            ReportLine.Begin(ref sink, "ext.rejected"u8);
            WriteRegion(ref sink, set, i);
            sink.Write(" "u8);
            sink.Write(ExtendedRegionText.Name(why));
            PhysicalRange conflict = set.Conflict(i);
            if (!conflict.IsEmpty)
            {
                sink.Write(" "u8);
                TextFormat.Range(ref sink, conflict);
            }
            sink.Write("\n"u8);
        }

        ReportLine.Begin(ref sink, "ext.clamp"u8);
        TextFormat.Range(ref sink, set.Addressable);
        sink.Write("\n"u8);

        ReportLine.Begin(ref sink, "ext.resource"u8);
        if (set.HasResource)
        {
            TextFormat.Range(ref sink, set.Resource);
        }
        else
        {
            sink.Write("none "u8);
            sink.Write(ExtendedRegionText.Name(set.Status));
            if (set.FirstOfPair != 0)
            {
                sink.Write(" "u8);
                TextFormat.Decimal(ref sink, (ulong)set.FirstOfPair);
                sink.Write(" "u8);
                TextFormat.Decimal(ref sink, (ulong)set.SecondOfPair);
            }
        }
        sink.Write("\n"u8);

        for (int i = 0; i < set.Holes.Count; i++)
        {
            ReportLine.Begin(ref sink, "ext.hole"u8);
            TextFormat.Range(ref sink, set.Holes[i]);
            sink.Write("\n"u8);
        }
    }

    private static void WriteRegion<TSink>(ref TSink sink, in ExtendedRegionSet set, int index) where TSink : struct, ITextSink
    {
        set.GetRegion(index, out ulong start, out ulong size);
        TextFormat.AddressSize(ref sink, start, size);
    }
}
