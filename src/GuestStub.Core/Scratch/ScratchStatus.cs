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
    // In ScratchStatus's order (Ok = 0 first).
    private static System.ReadOnlySpan<byte> Names =>
        "ok\0"u8 + "bad-chunk-size\0"u8 + "no-space\0"u8 + "metadata-full\0"u8 + "double-free\0"u8 +
        "not-a-scratch-page\0"u8 + "balloon-empty\0"u8 + "balloon-failed\0"u8;

    public static System.ReadOnlySpan<byte> Name(ScratchStatus status)
    {
        System.ReadOnlySpan<byte> name = GuestStub.Text.NameTable.Get(Names, (long)status);
        return name.IsEmpty ? "unknown"u8 : name;
    }
}
