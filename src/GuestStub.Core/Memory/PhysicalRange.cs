namespace GuestStub.Memory;

/// <summary>
/// A range of guest-physical addresses, half-open: [<see cref="Start"/>, <see cref="End"/>).
/// Xen logs ranges the same way ("0x40400000->0x70000000", end exclusive). A range whose end
/// would pass 2^64 cannot be built: <see cref="TryCreate"/> refuses it, so <see cref="End"/>
/// never wraps.
/// </summary>
public readonly struct PhysicalRange
{
    public readonly ulong Start;
    public readonly ulong SizeBytes;

    private PhysicalRange(ulong start, ulong sizeBytes)
    {
        Start = start;
        SizeBytes = sizeBytes;
    }

    /// <summary>Exclusive end. Equals 2^64 only for a range reaching the top, which is
    /// represented as End == 0 with SizeBytes != 0; <see cref="TryCreate"/> rejects that.</summary>
    public ulong End => Start + SizeBytes;

    public bool IsEmpty => SizeBytes == 0;

    /// <summary>Builds [start, start + sizeBytes); false when the end would pass 2^64 - 1.</summary>
    public static bool TryCreate(ulong start, ulong sizeBytes, out PhysicalRange range)
    {
        if (sizeBytes > ulong.MaxValue - start)
        {
            range = default;
            return false;
        }
        range = new PhysicalRange(start, sizeBytes);
        return true;
    }

    /// <summary>Builds [start, end); false when end &lt; start.</summary>
    public static bool TryFromBounds(ulong start, ulong end, out PhysicalRange range)
    {
        if (end < start)
        {
            range = default;
            return false;
        }
        range = new PhysicalRange(start, end - start);
        return true;
    }

    public bool Contains(ulong address) => address - Start < SizeBytes;

    /// <summary>True when the two ranges share at least one byte.</summary>
    public bool Overlaps(PhysicalRange other) =>
        SizeBytes != 0 && other.SizeBytes != 0 && Start < other.End && other.Start < End;

    /// <summary>True when <paramref name="other"/> lies entirely inside this range.</summary>
    public bool Covers(PhysicalRange other) => other.Start >= Start && other.End <= End;
}
