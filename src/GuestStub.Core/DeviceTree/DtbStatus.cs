namespace GuestStub.DeviceTree;

/// <summary>
/// The outcome of a device-tree operation: <see cref="DtbError.None"/>, or a cause and the
/// byte offset from the start of the blob where it was found. A value, never an exception.
/// </summary>
public readonly struct DtbStatus
{
    public readonly DtbError Error;

    /// <summary>Byte offset from the start of the blob; 0 when <see cref="IsOk"/>.</summary>
    public readonly int Offset;

    public DtbStatus(DtbError error, int offset)
    {
        Error = error;
        Offset = offset;
    }

    public static DtbStatus Ok => default;

    public bool IsOk => Error == DtbError.None;

    public static DtbStatus Fail(DtbError error, int offset) => new DtbStatus(error, offset);
}
