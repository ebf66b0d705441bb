using System;
using GuestStub.Text;

namespace GuestStub.Vectors;

/// <summary>Why a vector file was refused. A file comes from the repository, or from a test that
/// loads one into guest memory on purpose: it is checked whole before any vector runs.</summary>
public enum VectorFileError : byte
{
    None = 0,
    /// <summary>The data does not start on an 8-byte boundary.</summary>
    Misaligned,
    /// <summary>Shorter than the header or than the size the header gives.</summary>
    Truncated,
    /// <summary>Not "GSVECTOR".</summary>
    BadMagic,
    /// <summary>A format version this reader does not know.</summary>
    BadVersion,
    /// <summary>The size is not a multiple of 8, or above <see cref="VectorLayout.MaxFileSize"/>.</summary>
    BadSize,
    /// <summary>The checksum does not match the bytes.</summary>
    BadChecksum,
    /// <summary>A record's size is too small, misaligned, past the end, or its fields do not fill it.</summary>
    BadRecord,
    /// <summary>A field runs past its record, or has a nonzero reserved half-word.</summary>
    BadField,
    /// <summary>The header's record count differs from the records found.</summary>
    BadCount,
}

/// <summary>A <see cref="VectorFileError"/> and the byte offset in the file where it was found.</summary>
public readonly struct VectorFileStatus
{
    public readonly VectorFileError Error;
    public readonly int Offset;

    public VectorFileStatus(VectorFileError error, int offset)
    {
        Error = error;
        Offset = offset;
    }

    public bool IsOk => Error == VectorFileError.None;

    public static VectorFileStatus Ok => default;

    public static VectorFileStatus Fail(VectorFileError error, int offset) => new VectorFileStatus(error, offset);

    /// <summary>"NAME at byte offset 0xOFFSET".</summary>
    public void Write<TSink>(ref TSink sink) where TSink : struct, ITextSink
    {
        ReadOnlySpan<byte> name = NameTable.Get(Names, (long)Error);
        sink.Write(name.IsEmpty ? "invalid"u8 : name);
        sink.Write(" at byte offset "u8);
        TextFormat.Hex(ref sink, (ulong)Offset);
    }

    // In VectorFileError's order.
    private static ReadOnlySpan<byte> Names =>
        "ok\0"u8 + "misaligned\0"u8 + "truncated\0"u8 + "bad magic\0"u8 + "unknown version\0"u8 + "bad size\0"u8 +
        "checksum mismatch\0"u8 + "bad record\0"u8 + "bad field\0"u8 + "record count mismatch\0"u8;
}
