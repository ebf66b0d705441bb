using System;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// A registered <c>ExtendedRegionSet</c> as canonical text:
/// <code>
/// status ok | status disorder 1 2 (the pair, for disorder and overlap) | status no-regions ...
/// resource 0x40000000-0x10000000000 | resource none
/// hole 0x47e00000-0xd0000000            one line per hole
/// region 1 0x0+0x8000000 accepted       every region as given (start+size), its verdict,
/// region 3 0x..+0x.. overlaps-ram 0x40000000-0x48000000   and what it overlaps
/// </code>
/// </summary>
public static class RegionSetText
{
    public static void Write<TSink>(ref TSink sink, in ExtendedRegionSet set) where TSink : struct, ITextSink
    {
        sink.Write("status "u8);
        sink.Write(GuestStub.ExtendedRegions.ExtendedRegionText.Name(set.Status));
        if (set.Status == ExtendedRegionStatus.Disorder || set.Status == ExtendedRegionStatus.Overlap)
        {
            sink.Write(" "u8);
            TextFormat.Decimal(ref sink, (ulong)set.FirstOfPair);
            sink.Write(" "u8);
            TextFormat.Decimal(ref sink, (ulong)set.SecondOfPair);
        }
        sink.Write("\n"u8);
        if (set.HasResource)
        {
            sink.Write("resource "u8);
            TextFormat.Range(ref sink, set.Resource);
            sink.Write("\n"u8);
        }
        else
        {
            sink.Write("resource none\n"u8);
        }
        for (int i = 0; i < set.Holes.Count; i++)
        {
            sink.Write("hole "u8);
            TextFormat.Range(ref sink, set.Holes[i]);
            sink.Write("\n"u8);
        }
        for (int i = 0; i < set.RegionCount; i++)
        {
            set.GetRegion(i, out ulong start, out ulong size);
            sink.Write("region "u8);
            TextFormat.Decimal(ref sink, (ulong)ExtendedRegionSet.RegionNumber(i));
            sink.Write(" "u8);
            TextFormat.Hex(ref sink, start);
            sink.Write("+"u8);
            TextFormat.Hex(ref sink, size);
            sink.Write(" "u8);
            RegionRejection why = set.Rejection(i);
            sink.Write(GuestStub.ExtendedRegions.ExtendedRegionText.Name(why));
            if (why >= RegionRejection.OverlapsGrantTable)
            {
                sink.Write(" "u8);
                TextFormat.Range(ref sink, set.Conflict(i));
            }
            sink.Write("\n"u8);
        }
    }

    /// <summary>"usable 0xA-0xB yes|no": <c>IsUsable</c> of a probe range.</summary>
    public static void Usable<TSink>(ref TSink sink, in ExtendedRegionSet set, PhysicalRange probe) where TSink : struct, ITextSink
    {
        sink.Write("usable "u8);
        TextFormat.Range(ref sink, probe);
        sink.Write(set.IsUsable(probe) ? " yes\n"u8 : " no\n"u8);
    }
}
