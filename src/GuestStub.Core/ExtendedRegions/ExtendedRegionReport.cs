using System;
using GuestStub.Boot;
using GuestStub.Memory;
using GuestStub.Text;

namespace GuestStub.ExtendedRegions;

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
    public static void Write<TSink>(ref TSink sink, ref ExtendedRegionSet set) where TSink : struct, ITextSink
    {
        for (int i = 0; i < set.RegionCount; i++)
        {
            ReportLine.Begin(ref sink, "ext.region"u8);
            WriteRegion(ref sink, ref set, i);
            sink.Write("\n"u8);
        }

        for (int i = 0; i < set.RegionCount; i++)
        {
            RegionRejection why = set.Rejection(i);
            if (why == RegionRejection.None)
                continue;
            ReportLine.Begin(ref sink, "ext.rejected"u8);
            WriteRegion(ref sink, ref set, i);
            sink.Write(" "u8);
            sink.Write(Name(why));
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
            sink.Write(Name(set.Status));
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

    private static void WriteRegion<TSink>(ref TSink sink, ref ExtendedRegionSet set, int index) where TSink : struct, ITextSink
    {
        set.GetRegion(index, out ulong start, out ulong size);
        TextFormat.AddressSize(ref sink, start, size);
    }

    /// <summary>The reason token of a rejected region.</summary>
    public static ReadOnlySpan<byte> Name(RegionRejection why)
    {
        ReadOnlySpan<byte> name = NameTable.Get(RejectionNames, (long)why);
        return name.IsEmpty ? "accepted"u8 : name;
    }

    // In RegionRejection's order (None = 0 first: not rejected).
    private static ReadOnlySpan<byte> RejectionNames =>
        "accepted\0"u8 + "zero-size\0"u8 + "end-overflow\0"u8 + "misaligned\0"u8 + "overlaps-grant-table\0"u8 +
        "overlaps-dtb\0"u8 + "overlaps-image\0"u8 + "overlaps-ram\0"u8 + "overlaps-reserved\0"u8;

    /// <summary>The reason token when there is no target resource.</summary>
    public static ReadOnlySpan<byte> Name(ExtendedRegionStatus status)
    {
        ReadOnlySpan<byte> name = NameTable.Get(StatusNames, (long)status);
        return name.IsEmpty ? "ok"u8 : name;
    }

    // In ExtendedRegionStatus's order (Ok = 0 first).
    private static ReadOnlySpan<byte> StatusNames =>
        "ok\0"u8 + "no-regions\0"u8 + "too-many-regions\0"u8 + "disorder\0"u8 + "overlap\0"u8 +
        "all-rejected\0"u8 + "outside-clamp\0"u8;
}
