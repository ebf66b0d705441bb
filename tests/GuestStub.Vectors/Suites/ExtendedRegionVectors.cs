using System;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// <see cref="VectorSuite.ExtendedRegions"/>: the record's regions registered against what it
/// says is occupied, clamped (<see cref="RegionInputs"/>), rendered by <see cref="RegionSetText"/>
/// followed by one <c>usable</c> line per <c>probe</c>; the text must equal <c>expected</c>.
/// </summary>
public static class ExtendedRegionVectors
{
    public static bool Check<TSink>(in VectorRecord record, ref TSink detail) where TSink : struct, ITextSink
    {
        if (!record.TryGetBytes(VectorTag.Expected, out ReadOnlySpan<byte> expected))
            return FieldText.Missing(ref detail, VectorTag.Expected);
        if (!RegionInputs.TryRegister(record, out ExtendedRegionSet set, ref detail))
            return false;
        TextBuffer text = default;
        RegionSetText.Write(ref text, set);
        int probes = record.Count(VectorTag.Probe);
        for (int i = 0; i < probes; i++)
        {
            if (!BootFactsVectors.TryRange(record, VectorTag.Probe, i, out PhysicalRange probe))
                return FieldText.Missing(ref detail, VectorTag.Probe);
            RegionSetText.Usable(ref text, set, probe);
        }
        return TextComparison.Check(expected, ref text, ref detail);
    }
}
