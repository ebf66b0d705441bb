using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// <see cref="VectorSuite.BootFacts"/>: a tree through <c>Dtb.Open</c> and <c>BootFacts.Read</c>
/// (with the DTB and the image placed where <c>dtb-range</c> and <c>image-range</c> say, both
/// optional), rendered by <see cref="BootFactsText"/>, or "open error ..." / "facts error ..."
/// with the one wording of <c>DtbErrorText</c>; the text must equal <c>expected</c>.
/// </summary>
public static class BootFactsVectors
{
    public static bool Check<TSink>(in VectorRecord record, ref TSink detail) where TSink : struct, ITextSink
    {
        if (!record.TryGetBytes(VectorTag.Blob, out ReadOnlySpan<byte> blob))
            return FieldText.Missing(ref detail, VectorTag.Blob);
        if (!record.TryGetBytes(VectorTag.Expected, out ReadOnlySpan<byte> expected))
            return FieldText.Missing(ref detail, VectorTag.Expected);
        PhysicalRange dtbRange = default, image = default;
        if (record.Count(VectorTag.DtbRange) != 0 && !TryRange(record, VectorTag.DtbRange, out dtbRange))
            return FieldText.Missing(ref detail, VectorTag.DtbRange);
        if (record.Count(VectorTag.ImageRange) != 0 && !TryRange(record, VectorTag.ImageRange, out image))
            return FieldText.Missing(ref detail, VectorTag.ImageRange);

        TextBuffer text = default;
        DtbStatus status = Dtb.Open(blob, out Dtb tree);
        if (!status.IsOk)
        {
            ErrorLine(ref text, "open error "u8, status);
        }
        else
        {
            status = BootFacts.Read(tree, dtbRange, image, out BootFacts facts);
            if (!status.IsOk)
                ErrorLine(ref text, "facts error "u8, status);
            else
                BootFactsText.Write(ref text, tree, facts);
        }
        return TextComparison.Check(expected, ref text, ref detail);
    }

    /// <summary>A pair field read as a range (start, size); false when absent or its end would pass 2^64.</summary>
    public static bool TryRange(in VectorRecord record, VectorTag tag, out PhysicalRange range) =>
        TryRange(record, tag, 0, out range);

    public static bool TryRange(in VectorRecord record, VectorTag tag, int occurrence, out PhysicalRange range)
    {
        range = default;
        return record.TryGetPair(tag, occurrence, out ulong start, out ulong size) && PhysicalRange.TryCreate(start, size, out range);
    }

    private static void ErrorLine(ref TextBuffer text, ReadOnlySpan<byte> prefix, DtbStatus status)
    {
        text.Write(prefix);
        DtbErrorText.Write(ref text, status);
        text.Write("\n"u8);
    }
}
