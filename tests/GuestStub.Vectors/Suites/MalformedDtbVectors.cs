using System;
using GuestStub.DeviceTree;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>
/// <see cref="VectorSuite.DtbMalformed"/>: the bytes <c>[blob-start, blob-start + blob-length)</c>
/// of the blob through <c>Dtb.Open</c> (the whole validation) must give exactly the expected
/// <c>DtbError</c> and byte offset; None and 0 for a blob that must pass.
/// </summary>
public static class MalformedDtbVectors
{
    public static bool Check<TSink>(in VectorRecord record, ref TSink detail) where TSink : struct, ITextSink
    {
        if (!record.TryGetBytes(VectorTag.Blob, out ReadOnlySpan<byte> blob))
            return FieldText.Missing(ref detail, VectorTag.Blob);
        if (!record.TryGetU64(VectorTag.BlobStart, out ulong start))
            return FieldText.Missing(ref detail, VectorTag.BlobStart);
        if (!record.TryGetU64(VectorTag.BlobLength, out ulong length))
            return FieldText.Missing(ref detail, VectorTag.BlobLength);
        if (!record.TryGetU64(VectorTag.Error, out ulong error))
            return FieldText.Missing(ref detail, VectorTag.Error);
        if (!record.TryGetU64(VectorTag.Offset, out ulong offset))
            return FieldText.Missing(ref detail, VectorTag.Offset);
        if (start > (ulong)blob.Length)
            return FieldText.OutOfRange(ref detail, VectorTag.BlobStart, start);
        if (length > (ulong)blob.Length - start)
            return FieldText.OutOfRange(ref detail, VectorTag.BlobLength, length);

        DtbStatus expected = DtbStatus.Fail((DtbError)error, (int)offset);
        DtbStatus status = Dtb.Open(blob.Slice((int)start, (int)length), out _);
        if (status.Error == expected.Error && (ulong)status.Offset == offset)
            return true;
        detail.Write("expected "u8);
        DtbErrorText.Write(ref detail, expected);
        detail.Write(", got "u8);
        DtbErrorText.Write(ref detail, status);
        return false;
    }
}
