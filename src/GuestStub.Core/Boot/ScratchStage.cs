using System;
using System.Runtime.CompilerServices;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Boot;

/// <summary>What the extended-region and scratch stage did, for the report and for callers.</summary>
public struct ScratchOutcome
{
    /// <summary>The stage ran (Xen was set up).</summary>
    public bool Ran;
    public ExtendedRegionStatus RegionStatus;
    /// <summary>Scratch pages came from the balloon (no target resource).</summary>
    public bool Ballooned;
    /// <summary>A scratch page still held (0 once it is freed).</summary>
    public ulong Page;
    /// <summary>Pool, balloon or mapping failure: <c>scratch.selftest</c>.</summary>
    public XenFailure Failure;
    /// <summary>Giving back scratch pages, ballooned pages and metadata.</summary>
    public XenFailure TeardownFailure;
    /// <summary>Ballooned pages still out after teardown (0 when the books balance).</summary>
    public int PagesStillBallooned;
}

/// <summary>
/// Stage 2 of the boot (issue 5), after the grant table is set up: Linux's
/// arch_xen_unpopulated_init and unpopulated-alloc.c. Registers extended regions 1..N
/// (<see cref="ExtendedRegionSet"/>), creates the scratch page pool over them, or over
/// ballooned RAM pages (<see cref="XenBalloon{THv}"/>) when there is no target resource, fills
/// one chunk, takes a scratch page and runs the grant self-test with the grant mapped there
/// (<see cref="GrantSelfTest"/>), frees it, optionally times the pool
/// (<see cref="ScratchBench"/>), then gives everything back: scratch pages, ballooned pages
/// (repopulated), the metadata pages. The pool is a ref struct over metadata in the stub's own
/// RAM, so it lives and dies in <see cref="Run"/>.
/// </summary>
public static unsafe class ScratchStage
{
    /// <summary>Linux's arm64 section, the unit fill_list rounds to.</summary>
    public const ulong ChunkSizeBytes = ScratchPageLayout.DefaultChunkSizeBytes;

    /// <summary>Chunks the metadata run can describe: 8 x 128 MiB = 1 GiB of scratch space
    /// in 9 pages (1 bit per page plus 24 bytes per chunk).</summary>
    public const int MetadataChunks = 8;

    /// <summary>Pages of scratch addresses the bench juggles at once (8 pages of addresses).</summary>
    private const uint BenchBufferPages = 8;

    public static void Run<THv, TSink, TClock>(ref THv hv, ref TSink sink, ref RamPageAllocator pages, in BootFacts facts,
        in BootEnvironment env, XenBootOptions options, ref TClock clock, ref BootOutcome outcome)
        where THv : struct, IXenHypervisor where TSink : struct, ITextSink where TClock : struct, ITickSource
    {
        ref ScratchOutcome s = ref outcome.Scratch;
        s.Ran = true;

        var occupied = new OccupiedSpace { Ram = facts.Memory, Reserved = facts.Reserved, Dtb = env.Dtb, Image = env.Image };
        ExtendedRegionSet.Register(facts.Hypervisor.Regions, occupied, env.Addressable, out ExtendedRegionSet regions);
        s.RegionStatus = regions.Status;
        RegionsProgress(ref sink, ref regions);
        ExtendedRegionReport.Write(ref sink, ref regions);
        if (options.ForceScratchBallooned && regions.HasResource)
        {
            // gueststub.scratch=ballooned: the pool sees no target resource, as Linux without regions.
            sink.Write("GuestStub: scratch pool: ballooned pages forced (gueststub.scratch=ballooned)\n"u8);
            regions = ExtendedRegionSet.Begin(regions.GrantRegion, regions.Addressable);
            regions.Complete(occupied);
        }
        s.Ballooned = !regions.HasResource;
        ReportLine.Write(ref sink, "scratch.method"u8, s.Ballooned ? "ballooned"u8 : "resource"u8);

        // Metadata: whole pages of the stub's RAM, only when there is a resource to describe.
        Span<ulong> metadata = default;
        ulong metadataGfn = 0;
        uint metadataPages = 0;
        PhysicalRange metadataRange = default;
        if (regions.HasResource)
        {
            long words = ScratchPageLayout.MetadataWords(ChunkSizeBytes, MetadataChunks);
            uint wanted = (uint)((words * sizeof(ulong) + (long)XenPage.SizeBytes - 1) >> XenPage.Shift);
            if (!pages.TryAllocate(wanted, out metadataGfn))
            {
                s.Failure = XenFailure.Stub(XenFailureCause.OutOfPages);
            }
            else
            {
                // The stub's RAM, Normal memory from the start: no attribute change needed.
                metadataPages = wanted;
                PhysicalRange.TryCreate(metadataGfn << XenPage.Shift, (ulong)wanted << XenPage.Shift, out metadataRange);
                byte* first = hv.Page(metadataGfn);
                if (first == null)
                    s.Failure = XenFailure.Stub(XenFailureCause.Unreachable).WithGfn(metadataGfn);
                else
                    metadata = new Span<ulong>(first, (int)(wanted << (XenPage.Shift - 3)));
            }
        }

        var balloon = new XenBalloon<THv>(ref hv, (RamPageAllocator*)Unsafe.AsPointer(ref pages));
        scoped ScratchPagePool<XenBalloon<THv>> pool = default;
        bool poolReady = false;
        if (!s.Failure.IsFailure)
        {
            ScratchStatus created = ScratchPagePool<XenBalloon<THv>>.Create(regions, metadata, ChunkSizeBytes, balloon, out pool);
            poolReady = Check(ref s, created, pool);
        }

        // One chunk, then the self-test's page.
        if (poolReady)
            poolReady = Check(ref s, pool.Fill(1), pool) && Check(ref s, pool.AllocatePage(out s.Page), pool);
        if (!poolReady)
            s.Page = 0;
        PoolProgress(ref sink, pool, metadataRange, s);
        ScratchPoolReport.Write(ref sink, pool);

        // The grant self-test, mapping through the scratch page (Stage 3).
        outcome.SelfTestRan = true;
        outcome.SelfTestFailure = GrantSelfTest.Run(ref hv, ref pages, outcome.Xen, s.Page, out GrantSelfTest.ScratchResult mapped);
        XenReport.SelfTestProgress(ref sink, outcome.Xen, outcome.SelfTestFailure,
            mapped.Ran && !mapped.Failure.IsFailure ? s.Page : 0);
        if (mapped.Ran && mapped.Failure.IsFailure && !s.Failure.IsFailure)
            s.Failure = mapped.Failure;
        if (s.Page != 0 && !mapped.LeftMapped)
        {
            // Freed now; a ballooned page Xen would not repopulate stays used for teardown's retry.
            ScratchStatus freed = pool.FreePage(s.Page);
            if (freed == ScratchStatus.Ok)
                s.Page = 0;
            else if (!s.Failure.IsFailure)
                s.Failure = PoolFailure(freed, pool);
        }
        SelfTestProgress(ref sink, s, mapped);
        ReportLine.Begin(ref sink, "scratch.selftest"u8);
        if (!s.Failure.IsFailure && !mapped.Ran)
            sink.Write("skipped"u8);
        else
            WriteResult(ref sink, s.Failure);
        sink.Write("\n"u8);

        if (options.BenchScratch)
            Bench(ref hv, ref sink, ref pages, ref pool, poolReady && !pool.IsBallooned, ref clock);

        // Teardown: the self-test page if still out (unless Xen still maps a grant there),
        // then the metadata. Ballooned pages go back through the pool, so they are repopulated.
        if (s.Page != 0 && !mapped.LeftMapped)
        {
            ScratchStatus freed = pool.FreePage(s.Page);
            if (freed == ScratchStatus.Ok)
                s.Page = 0;
            else
                s.TeardownFailure = PoolFailure(freed, pool);
        }
        s.PagesStillBallooned = pool.Balloon.PagesOut;
        if (metadataPages != 0)
            pages.Free(metadataGfn, metadataPages);
        TeardownProgress(ref sink, s);
    }

    /// <summary>Records a pool error as the stage's failure; a balloon error names the hypercall.</summary>
    private static bool Check<THv>(ref ScratchOutcome s, ScratchStatus status, in ScratchPagePool<XenBalloon<THv>> pool)
        where THv : struct, IXenHypervisor
    {
        if (status == ScratchStatus.Ok)
            return true;
        if (!s.Failure.IsFailure)
            s.Failure = PoolFailure(status, pool);
        return false;
    }

    /// <summary>The failure behind a pool status: the balloon's failed hypercall (with its
    /// errno) when the balloon refused, else the status itself.</summary>
    private static XenFailure PoolFailure<THv>(ScratchStatus status, in ScratchPagePool<XenBalloon<THv>> pool)
        where THv : struct, IXenHypervisor
    {
        if (pool.IsBallooned && (status == ScratchStatus.BalloonEmpty || status == ScratchStatus.BalloonFailed))
        {
            XenFailure f = pool.Balloon.LastFailure;
            if (f.IsFailure)
                return f;
        }
        return XenFailure.Scratch(status);
    }

    private static void Bench<THv, TSink, TClock>(ref THv hv, ref TSink sink, ref RamPageAllocator pages,
        ref ScratchPagePool<XenBalloon<THv>> pool, bool usable, ref TClock clock)
        where THv : struct, IXenHypervisor where TSink : struct, ITextSink where TClock : struct, ITickSource
    {
        if (!usable)
        {
            // The fallback would balloon thousands of pages in and out of Xen: not what is timed.
            ReportLine.Write(ref sink, "scratch.bench"u8, "skipped (no target resource)"u8);
            return;
        }
        bool allocated = pages.TryAllocate(BenchBufferPages, out ulong gfn);
        byte* buffer = allocated ? hv.Page(gfn) : null;
        if (buffer == null)
            ReportLine.Write(ref sink, "scratch.bench"u8, "error no free RAM page"u8);
        else
            ScratchBench.Run(ref pool, ref clock, ref sink, new Span<ulong>(buffer, (int)(BenchBufferPages << (XenPage.Shift - 3))));
        if (allocated)
            pages.Free(gfn, BenchBufferPages);
    }

    private static void WriteResult<TSink>(ref TSink sink, XenFailure failure) where TSink : struct, ITextSink
    {
        if (failure.IsFailure)
            failure.Write(ref sink);
        else
            sink.Write("ok"u8);
    }

    private static void RegionsProgress<TSink>(ref TSink sink, ref ExtendedRegionSet regions) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: extended regions: "u8);
        TextFormat.Decimal(ref sink, (ulong)regions.RegionCount);
        sink.Write(" found"u8);
        int rejected = 0;
        for (int i = 0; i < regions.RegionCount; i++)
            if (regions.Rejection(i) != RegionRejection.None)
                rejected++;
        if (rejected != 0)
        {
            sink.Write(", "u8);
            TextFormat.Decimal(ref sink, (ulong)rejected);
            sink.Write(" rejected"u8);
        }
        if (regions.HasResource)
        {
            sink.Write(", target resource "u8);
            TextFormat.Range(ref sink, regions.Resource);
            sink.Write(" ("u8);
            TextFormat.Decimal(ref sink, (ulong)regions.Holes.Count);
            sink.Write(" holes, clamped to "u8);
            TextFormat.Range(ref sink, regions.Addressable);
            sink.Write(")\n"u8);
        }
        else
        {
            sink.Write(", no target resource ("u8);
            sink.Write(ExtendedRegionReport.Name(regions.Status));
            sink.Write("): scratch pages will be ballooned RAM pages\n"u8);
        }
    }

    private static void PoolProgress<THv, TSink>(ref TSink sink, in ScratchPagePool<XenBalloon<THv>> pool, PhysicalRange metadata,
        in ScratchOutcome s) where THv : struct, IXenHypervisor where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: scratch pool: "u8);
        if (pool.IsBallooned)
        {
            sink.Write("ballooned fallback"u8);
        }
        else
        {
            TextFormat.Decimal(ref sink, (ulong)pool.ChunkCount);
            sink.Write(" chunk(s) of "u8);
            TextFormat.Size(ref sink, ChunkSizeBytes);
            if (pool.ChunkCount > 0)
            {
                sink.Write(" from "u8);
                TextFormat.Range(ref sink, pool.Chunk(0));
            }
            sink.Write(", metadata "u8);
            TextFormat.Range(ref sink, metadata);
            sink.Write(" (room for "u8);
            TextFormat.Decimal(ref sink, (ulong)pool.ChunkCapacity);
            sink.Write(" chunks)"u8);
        }
        if (s.Page != 0)
        {
            sink.Write(", self-test page "u8);
            TextFormat.Hex(ref sink, s.Page);
        }
        if (s.Failure.IsFailure)
        {
            sink.Write(": error: "u8);
            s.Failure.Write(ref sink);
        }
        sink.Write("\n"u8);
    }

    private static void SelfTestProgress<TSink>(ref TSink sink, in ScratchOutcome s, in GrantSelfTest.ScratchResult mapped)
        where TSink : struct, ITextSink
    {
        if (!mapped.Ran)
            return;
        sink.Write("GuestStub: scratch self-test: grant "u8);
        TextFormat.Decimal(ref sink, GrantSelfTest.Reference);
        sink.Write(" mapped with GNTTABOP_map_grant_ref at the scratch page, pattern read back, unmapped: "u8);
        WriteResult(ref sink, mapped.Failure);
        sink.Write("\n"u8);
    }

    private static void TeardownProgress<TSink>(ref TSink sink, in ScratchOutcome s) where TSink : struct, ITextSink
    {
        sink.Write("GuestStub: scratch teardown: "u8);
        if (s.TeardownFailure.IsFailure)
            s.TeardownFailure.Write(ref sink);
        else
            sink.Write("scratch pages freed, ballooned pages repopulated, metadata returned"u8);
        if (s.Page != 0)
        {
            sink.Write(" (page "u8);
            TextFormat.Hex(ref sink, s.Page);
            sink.Write(" still used)"u8);
        }
        if (s.PagesStillBallooned != 0)
        {
            sink.Write(" ("u8);
            TextFormat.Decimal(ref sink, (ulong)s.PagesStillBallooned);
            sink.Write(" pages still ballooned)"u8);
        }
        sink.Write("\n"u8);
    }
}
