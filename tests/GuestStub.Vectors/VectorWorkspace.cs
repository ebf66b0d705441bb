using System;

namespace GuestStub.Vectors;

/// <summary>
/// Memory a checker needs beyond its stack, given by the caller (the host allocates it, the
/// guest test image has it in .bss): the scratch pool's metadata, the pages a sequence holds,
/// a batch of addresses.
/// </summary>
public ref struct VectorWorkspace
{
    /// <summary>Words for the largest scratch-sequence vector: 8 chunks of 128 MiB (515 words each).</summary>
    public const int ScratchMetadataWords = 8 * 515;

    public const int HeldPages = 2048;

    public const int BatchPages = 64;

    public Span<ulong> ScratchMetadata;
    public Span<ulong> Held;
    public Span<ulong> Batch;

    public VectorWorkspace(Span<ulong> scratchMetadata, Span<ulong> held, Span<ulong> batch)
    {
        ScratchMetadata = scratchMetadata;
        Held = held;
        Batch = batch;
    }
}
