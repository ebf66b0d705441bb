using GuestStub.Platform;
using GuestStub.Scratch;
using GuestStub.Text;

namespace GuestStub.Report;

/// <summary>
/// What the scratch stages tell the user: "GuestStub: ..." lines, and the report lines
/// scratch.method, scratch.chunk (per chunk filled, in fill order), scratch.pages.free,
/// scratch.pages.used, scratch.selftest, and scratch.bench.* when asked. In the ballooned
/// fallback there are no chunks and every page handed out counts as used.
/// </summary>
public static class ScratchReport
{
    /// <summary>The pool's lines, then scratch.pool: a chunk filled from the target resource (or
    /// the ballooned fallback) and the self-test's page taken. Xen refusing a balloon call:
    /// FAILURE; the stub's own pool or RAM run out: ERROR.</summary>
    public static void PoolOpened<TSink>(ref TSink sink, ref CheckVerdicts checks, in ScratchPoolResult pool) where TSink : struct, ITextSink
    {
        PoolOpened(ref sink, pool);
        Outcome(ref sink, ref checks, Check.ScratchPool, pool.Failure);
    }

    /// <summary>SUCCESS, or the failure's verdict: the hypercall's (<see cref="Blame"/>), else
    /// the pool's own status, an ERROR.</summary>
    public static void Outcome<TSink>(ref TSink sink, ref CheckVerdicts checks, Check check, ScratchFailure failure)
        where TSink : struct, ITextSink
    {
        if (failure.Xen.IsFailure)
            checks.Outcome(ref sink, check, failure.Xen);
        else if (failure.IsFailure)
            checks.Write(ref sink, check, Verdict.Error, Reason.ScratchPool, ScratchStatusText.Name(failure.Status));
        else
            checks.Write(ref sink, check, Verdict.Success);
    }

    public static void PoolOpened<TSink>(ref TSink sink, in ScratchPoolResult pool) where TSink : struct, ITextSink
    {
        if (pool.Forced)
            sink.Write("GuestStub: scratch pool: ballooned pages forced (gueststub.scratch=ballooned)\n"u8);
        ReportLine.Write(ref sink, "scratch.method"u8, pool.Ballooned ? "ballooned"u8 : "resource"u8);
        PoolProgress(ref sink, pool);
        PoolLines(ref sink, pool);
    }

    /// <summary>scratch.chunk, scratch.pages.free, scratch.pages.used (the host tool's map prints these too).</summary>
    public static void PoolLines<TSink>(ref TSink sink, in ScratchPoolResult pool) where TSink : struct, ITextSink
    {
        for (int i = 0; i < pool.Chunks.Count; i++)
            ReportLine.Range(ref sink, "scratch.chunk"u8, pool.Chunks[i]);
        ReportLine.Decimal(ref sink, "scratch.pages.free"u8, pool.FreePages);
        ReportLine.Decimal(ref sink, "scratch.pages.used"u8, pool.UsedPages);
    }

    private static void PoolProgress<TSink>(ref TSink sink, in ScratchPoolResult pool) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: scratch pool: "u8);
        if (pool.Ballooned)
        {
            sink.Write("ballooned fallback"u8);
        }
        else
        {
            TextFormat.Decimal(ref sink, (ulong)pool.Chunks.Count);
            sink.Write(" chunk(s) of "u8);
            TextFormat.Size(ref sink, ScratchPoolStage.ChunkSizeBytes);
            if (pool.Chunks.Count > 0)
            {
                sink.Write(" from "u8);
                TextFormat.Range(ref sink, pool.Chunks[0]);
            }
            sink.Write(", metadata "u8);
            TextFormat.Range(ref sink, pool.Metadata);
            sink.Write(" (room for "u8);
            TextFormat.Decimal(ref sink, (ulong)pool.ChunkCapacity);
            sink.Write(" chunks)"u8);
        }
        if (pool.SelfTestPage != 0)
        {
            sink.Write(", self-test page "u8);
            TextFormat.Hex(ref sink, pool.SelfTestPage);
        }
        if (pool.Failure.IsFailure)
        {
            sink.Write(": error: "u8);
            pool.Failure.Write(ref sink);
        }
        sink.Write("\n"u8);
    }

    /// <summary>The scratch self-test's line, then report scratch.selftest: the pool's failure,
    /// else the mapping's, else giving the page back; "skipped" when nothing ran.</summary>
    /// <summary>The self-test's lines, then scratch.self-test: the self-grant mapped at a scratch
    /// page with GNTTABOP_map_grant_ref, its pattern read there, unmapped, the page back in the pool.</summary>
    public static void SelfTest<TSink>(ref TSink sink, ref CheckVerdicts checks, in ScratchPoolResult pool, in ScratchSelfTestResult test,
        bool granted) where TSink : struct, ITextSink
    {
        SelfTest(ref sink, pool, test);
        if (!pool.Ran || pool.Failure.IsFailure)
            checks.Write(ref sink, Check.ScratchSelfTest, Verdict.Skip, Reason.NotRunNoScratchPage);
        else if (!test.Ran && !granted)
            checks.Write(ref sink, Check.ScratchSelfTest, Verdict.Skip, Reason.NotRunNoGrant);
        else
            Outcome(ref sink, ref checks, Check.ScratchSelfTest, test.Failure);
    }

    public static void SelfTest<TSink>(ref TSink sink, in ScratchPoolResult pool, in ScratchSelfTestResult test) where TSink : struct, ITextSink
    {
        if (test.Ran)
        {
            sink.Write("GuestStub: scratch self-test: grant "u8);
            TextFormat.Decimal(ref sink, Xen.Setup.GrantSelfTest.Reference);
            sink.Write(" mapped with GNTTABOP_map_grant_ref at the scratch page, pattern read back, unmapped: "u8);
            ReportLine.Result(ref sink, test.MapFailure);
            sink.Write("\n"u8);
        }
        ScratchFailure failure = pool.Failure.Or(test.Failure);
        ReportLine.Begin(ref sink, "scratch.selftest"u8);
        if (!failure.IsFailure && !test.Ran)
            sink.Write("skipped"u8);
        else
            ReportLine.Result(ref sink, failure);
        sink.Write("\n"u8);
    }

    /// <summary>The line, then teardown.scratch: the self-test's page, ballooned pages and metadata all given back.</summary>
    public static void Teardown<TSink>(ref TSink sink, ref CheckVerdicts checks, in ScratchTeardownResult teardown) where TSink : struct, ITextSink
    {
        Teardown(ref sink, teardown);
        if (!teardown.Failure.IsFailure && (teardown.PageStillHeld != 0 || teardown.PagesStillBallooned != 0))
            checks.Write(ref sink, Check.TeardownScratch, Verdict.Failure,
                teardown.PageStillHeld != 0 ? Reason.ScratchPageStillHeld : Reason.BalloonedPagesStillOut);
        else
            Outcome(ref sink, ref checks, Check.TeardownScratch, teardown.Failure);
    }

    public static void Teardown<TSink>(ref TSink sink, in ScratchTeardownResult teardown) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: scratch teardown: "u8);
        if (teardown.Failure.IsFailure)
            teardown.Failure.Write(ref sink);
        else
            sink.Write("scratch pages freed, ballooned pages repopulated, metadata returned"u8);
        if (teardown.PageStillHeld != 0)
        {
            sink.Write(" (page "u8);
            TextFormat.Hex(ref sink, teardown.PageStillHeld);
            sink.Write(" still used)"u8);
        }
        if (teardown.PagesStillBallooned != 0)
        {
            sink.Write(" ("u8);
            TextFormat.Decimal(ref sink, (ulong)teardown.PagesStillBallooned);
            sink.Write(" pages still ballooned)"u8);
        }
        sink.Write("\n"u8);
    }
}
