using System;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// The extended-region inputs a record may carry, shared by <see cref="VectorSuite.ExtendedRegions"/>,
/// the <c>report.ext</c> formatter and <see cref="VectorSuite.ScratchSequence"/>: region 0
/// (<c>grant-region</c>, optional), the regions in node order (<c>region</c>, raw start and size,
/// so an end past 2^64 can be given), what the boot occupies (<c>ram</c>, <c>reserved</c>,
/// <c>dtb-range</c>, <c>image-range</c>) and the clamp (<c>clamp</c>). Registered step by step
/// (Begin, TryAdd, Complete), as <c>ExtendedRegionSet.Register</c> does.
/// </summary>
public static class RegionInputs
{
    public static bool TryRegister<TSink>(in VectorRecord record, out ExtendedRegionSet set, ref TSink detail) where TSink : struct, ITextSink
    {
        set = default;
        PhysicalRange grant = default, clamp;
        if (record.Count(VectorTag.GrantRegion) != 0 && !BootFactsVectors.TryRange(record, VectorTag.GrantRegion, out grant))
            return FieldText.Missing(ref detail, VectorTag.GrantRegion);
        if (!BootFactsVectors.TryRange(record, VectorTag.Clamp, out clamp))
            return FieldText.Missing(ref detail, VectorTag.Clamp);
        var occupied = new OccupiedSpace();
        if (!TryList(record, VectorTag.Ram, ref occupied.Ram, ref detail) || !TryList(record, VectorTag.Reserved, ref occupied.Reserved, ref detail))
            return false;
        if (record.Count(VectorTag.DtbRange) != 0 && !BootFactsVectors.TryRange(record, VectorTag.DtbRange, out occupied.Dtb))
            return FieldText.Missing(ref detail, VectorTag.DtbRange);
        if (record.Count(VectorTag.ImageRange) != 0 && !BootFactsVectors.TryRange(record, VectorTag.ImageRange, out occupied.Image))
            return FieldText.Missing(ref detail, VectorTag.ImageRange);

        set = ExtendedRegionSet.Begin(grant, clamp);
        int regions = record.Count(VectorTag.Region);
        for (int i = 0; i < regions; i++)
        {
            if (!record.TryGetPair(VectorTag.Region, i, out ulong start, out ulong size))
                return FieldText.Missing(ref detail, VectorTag.Region);
            // False past the capacity: Complete then reports too-many-regions, which is the point.
            set.TryAdd(start, size);
        }
        set.Complete(occupied);
        return true;
    }

    private static bool TryList<TSink>(in VectorRecord record, VectorTag tag, ref PhysicalRangeList list, ref TSink detail) where TSink : struct, ITextSink
    {
        int count = record.Count(tag);
        for (int i = 0; i < count; i++)
        {
            if (!BootFactsVectors.TryRange(record, tag, i, out PhysicalRange range))
                return FieldText.Missing(ref detail, tag);
            if (!list.TryAdd(range))
                return FieldText.OutOfRange(ref detail, tag, (ulong)count);
        }
        return true;
    }
}
