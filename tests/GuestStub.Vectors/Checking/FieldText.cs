using System;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>The failure details every checker shares.</summary>
public static class FieldText
{
    /// <summary>"missing field NAME" (absent, or of the wrong size for its kind).</summary>
    public static bool Missing<TSink>(ref TSink detail, VectorTag tag) where TSink : struct, ITextSink
    {
        detail.Write("missing field "u8);
        detail.Write(VectorTagText.Name(tag));
        return false;
    }

    /// <summary>"NAME VALUE out of range".</summary>
    public static bool OutOfRange<TSink>(ref TSink detail, VectorTag tag, ulong value) where TSink : struct, ITextSink
    {
        detail.Write(VectorTagText.Name(tag));
        detail.Write(" "u8);
        TextFormat.Decimal(ref detail, value);
        detail.Write(" out of range"u8);
        return false;
    }
}
