using GuestStub.Memory;

namespace GuestStub.Scratch;

/// <summary>
/// How the pool lays out its metadata in the caller's span. Each chunk takes
/// <see cref="StrideWords"/> consecutive ulongs:
/// <code>
///   [0] chunk base address (chunk aligned)
///   [1] group summary: bit g set when bitmap group g has a free page
///   [2] free-chunk list link: bit 63 = on the list, low 32 bits = next chunk index + 1 (0 = end)
///   [3 ..] bitmap, one bit per page, set = free; page p is bit p % 64 of word p / 64
/// </code>
/// The bitmap is the only per-page state: exactly 1 bit per scratch page, plus 24 bytes per
/// chunk (0.006 bit per page at 128 MiB chunks). The summary splits a chunk's bitmap into at
/// most 64 groups of <see cref="GroupWords"/> words, so finding a free page reads one summary
/// word and at most one group (8 words at 128 MiB), whatever the pool's size.
/// </summary>
public readonly struct ScratchPageLayout
{

    /// <summary>Linux arm64 with 4 KiB pages: SECTION_SIZE_BITS 27, the unit fill_list rounds to.</summary>
    public const ulong DefaultChunkSizeBytes = 128UL << 20;

    /// <summary>One bitmap word: 64 pages.</summary>
    public const ulong MinChunkSizeBytes = 64 * PageSize.Bytes;

    /// <summary>64 groups of 64 words: a group scan never reads more than 64 words.</summary>
    public const ulong MaxChunkSizeBytes = 1UL << 30;

    public const int HeaderWords = 3;

    public readonly ulong ChunkSizeBytes;
    public readonly int PagesPerChunk;
    public readonly int WordsPerChunk;
    public readonly int GroupCount;
    public readonly int GroupWords;
    public readonly int StrideWords;

    private ScratchPageLayout(ulong chunkSizeBytes)
    {
        ChunkSizeBytes = chunkSizeBytes;
        PagesPerChunk = (int)(chunkSizeBytes >> PageSize.Shift);
        WordsPerChunk = PagesPerChunk / 64;
        GroupCount = WordsPerChunk < 64 ? WordsPerChunk : 64;
        GroupWords = WordsPerChunk / GroupCount;
        StrideWords = HeaderWords + WordsPerChunk;
    }

    /// <summary>False unless <paramref name="chunkSizeBytes"/> is a power of two in
    /// [<see cref="MinChunkSizeBytes"/>, <see cref="MaxChunkSizeBytes"/>].</summary>
    public static bool TryCreate(ulong chunkSizeBytes, out ScratchPageLayout layout)
    {
        layout = default;
        if (chunkSizeBytes < MinChunkSizeBytes || chunkSizeBytes > MaxChunkSizeBytes ||
            (chunkSizeBytes & (chunkSizeBytes - 1)) != 0)
            return false;
        layout = new ScratchPageLayout(chunkSizeBytes);
        return true;
    }

    /// <summary>How many ulongs of metadata <paramref name="chunkCount"/> chunks need, so the
    /// caller can size the span (the guest rounds it up to whole pages of its RAM).
    /// 0 for a bad chunk size.</summary>
    public static long MetadataWords(ulong chunkSizeBytes, int chunkCount) =>
        TryCreate(chunkSizeBytes, out ScratchPageLayout layout) ? (long)layout.StrideWords * chunkCount : 0;
}
