namespace GuestStub.Scratch;

/// <summary>Outcome of a scratch pool operation (and of an <see cref="IBalloonSource"/> call).</summary>
public enum ScratchStatus : byte
{
    Ok = 0,

    /// <summary>The chunk size is not a power of two between
    /// <see cref="ScratchPageLayout.MinChunkSizeBytes"/> and <see cref="ScratchPageLayout.MaxChunkSizeBytes"/>.</summary>
    BadChunkSize,

    /// <summary>The target resource has no free, aligned space for another chunk.</summary>
    NoSpace,

    /// <summary>The caller's metadata span has no room for another chunk's bitmap.</summary>
    MetadataFull,

    /// <summary>The page is a scratch page that is already free.</summary>
    DoubleFree,

    /// <summary>The address is not a page the pool (or the balloon) handed out: misaligned,
    /// or outside every chunk.</summary>
    NotScratchPage,

    /// <summary>Ballooned fallback: the balloon source has no page to give (no RAM page it may
    /// release, or Xen refused XENMEM_decrease_reservation).</summary>
    BalloonEmpty,

    /// <summary>Ballooned fallback: the balloon source failed to give a page back
    /// (XENMEM_populate_physmap refused).</summary>
    BalloonFailed,
}

/// <summary>The report tokens of <see cref="ScratchStatus"/> values.</summary>
public static class ScratchStatusText
{
    public static System.ReadOnlySpan<byte> Name(ScratchStatus status)
    {
        switch (status)
        {
            case ScratchStatus.Ok: return "ok"u8;
            case ScratchStatus.BadChunkSize: return "bad-chunk-size"u8;
            case ScratchStatus.NoSpace: return "no-space"u8;
            case ScratchStatus.MetadataFull: return "metadata-full"u8;
            case ScratchStatus.DoubleFree: return "double-free"u8;
            case ScratchStatus.NotScratchPage: return "not-a-scratch-page"u8;
            case ScratchStatus.BalloonEmpty: return "balloon-empty"u8;
            case ScratchStatus.BalloonFailed: return "balloon-failed"u8;
            default: return "unknown"u8;
        }
    }
}
