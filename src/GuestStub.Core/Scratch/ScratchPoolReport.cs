using GuestStub.Boot;
using GuestStub.Text;

namespace GuestStub.Scratch;

/// <summary>
/// The pool's report lines: <c>scratch.chunk &lt;range&gt;</c> per chunk filled, in fill order,
/// then <c>scratch.pages.free</c> and <c>scratch.pages.used</c> (decimal page counts). In the
/// ballooned fallback there are no chunks and every page handed out counts as used.
/// </summary>
public static class ScratchPoolReport
{
    public static void Write<TSink, TBalloon>(ref TSink sink, in ScratchPagePool<TBalloon> pool)
        where TSink : struct, ITextSink where TBalloon : struct, IBalloonSource
    {
        for (int i = 0; i < pool.ChunkCount; i++)
            ReportLine.Range(ref sink, "scratch.chunk"u8, pool.Chunk(i));
        ReportLine.Decimal(ref sink, "scratch.pages.free"u8, pool.FreePageCount);
        ReportLine.Decimal(ref sink, "scratch.pages.used"u8, pool.UsedPageCount);
    }
}
