namespace GuestStub.DeviceTree;

/// <summary>
/// Where the blocks of a validated blob lie (byte offsets from the start of the blob) and a
/// few counts gathered on the way. Produced only by <see cref="DtbValidator"/>.
/// </summary>
public readonly struct DtbLayout
{
    public readonly int TotalSize;
    public readonly int StructStart;
    public readonly int StructEnd;
    public readonly int StringsStart;
    public readonly int StringsEnd;
    public readonly int ReservationMapStart;
    public readonly int ReservationCount;
    public readonly int NodeCount;
    public readonly uint BootCpuId;
    public readonly uint Version;

    internal DtbLayout(int totalSize, int structStart, int structEnd, int stringsStart, int stringsEnd,
        int reservationMapStart, int reservationCount, int nodeCount, uint bootCpuId, uint version)
    {
        TotalSize = totalSize;
        StructStart = structStart;
        StructEnd = structEnd;
        StringsStart = stringsStart;
        StringsEnd = stringsEnd;
        ReservationMapStart = reservationMapStart;
        ReservationCount = reservationCount;
        NodeCount = nodeCount;
        BootCpuId = bootCpuId;
        Version = version;
    }
}
