namespace GuestStub.Vectors;

/// <summary>
/// The operations of a scratch sequence (<see cref="ScratchSequenceVectors"/>), chosen by the
/// PRNG draw modulo 8 (the low 3 bits), or modulo 10 in a sequence with runs (a
/// <c>max-run</c> field above 0). The generator's model follows the same table.
/// </summary>
public enum ScratchOperation
{
    /// <summary>Draw 0-2: Allocate a batch of 1..max-batch pages (fewer when the held list is nearly full).</summary>
    AllocateBatch = 0,
    /// <summary>Draw 3: AllocatePage.</summary>
    AllocatePage = 3,
    /// <summary>Draws 4-5: Free a batch of 1..max-batch held pages picked at random.</summary>
    FreeBatch = 4,
    /// <summary>Draw 6: FreePage of one held page picked at random.</summary>
    FreePage = 6,
    /// <summary>Draw 7: a misuse, by the next draw modulo 3 (modulo 4 with runs): free the page
    /// last freed again (when it is not held again, alone or in a run), a batch naming one held
    /// page twice, a misaligned address, or (with runs) the run last freed again (when none of
    /// its pages is held again).</summary>
    Misuse = 7,
    /// <summary>Draw 8, with runs: AllocateRun of 1..max-run pages (skipped when
    /// <see cref="ScratchSequenceVectors.MaxRunsHeld"/> runs are held).</summary>
    AllocateRun = 8,
    /// <summary>Draw 9, with runs: FreeRun of one held run picked at random.</summary>
    FreeRun = 9,
}

/// <summary>FNV-1a (64 bits) over a stream of 64-bit values, low byte first: the sequence's checksum.</summary>
public struct SequenceChecksum
{
    public ulong Value;

    public static SequenceChecksum Start => new SequenceChecksum { Value = 0xcbf29ce484222325 };

    public void Add(ulong value)
    {
        for (int i = 0; i < 8; i++)
        {
            Value = (Value ^ (byte)(value >> (8 * i))) * 0x100000001b3;
        }
    }
}
