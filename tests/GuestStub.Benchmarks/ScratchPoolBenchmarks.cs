using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Scratch;

namespace GuestStub.Benchmarks;

/// <summary>
/// Scratch page allocate/free throughput: GuestStub's <see cref="ScratchPagePool{TBalloon}"/>
/// (1 bit per page in a caller span) side by side with a model of Linux's unpopulated-alloc.c
/// pool (a list of page structs, 64 bytes each, linked through the struct; alloc pops the head,
/// free pushes it). One 128 MiB chunk (32768 pages) per invocation, filled inside the
/// measurement on both sides. Two patterns: take every page then give every page back, and
/// churn (a random page out, a page in) over a half-full pool.
/// </summary>
[MemoryDiagnoser]
public class ScratchPoolBenchmarks
{
    private const int Pages = 32768;
    private const int ChurnOps = 32768;

    private ExtendedRegionSet _regions;
    private ulong[] _metadata = Array.Empty<ulong>();
    private ulong[] _held = new ulong[Pages];
    private int[] _victims = Array.Empty<int>();
    private LinuxPage[] _linuxPages = Array.Empty<LinuxPage>();
    private int[] _linuxHeld = new int[Pages];

    /// <summary>Linux's struct page on arm64: 64 bytes; the pool links free pages through it.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    private struct LinuxPage
    {
        public ulong Flags;
        public int Next;
        public ulong Pfn;
    }

    [GlobalSetup]
    public void Setup()
    {
        PhysicalRangeList hypervisor = default;
        hypervisor.TryAdd(Range(0x40200000, 0x40240000));
        hypervisor.TryAdd(Range(0x48000000, 0x50000000));
        ExtendedRegionSet.Register(hypervisor, default, AddressableRange.BelowLimit(1UL << 39), out _regions);
        _metadata = new ulong[ScratchPageLayout.MetadataWords(ScratchPageLayout.DefaultChunkSizeBytes, 1)];
        _linuxPages = new LinuxPage[Pages];
        var random = new Random(5);
        _victims = new int[ChurnOps];
        for (int i = 0; i < ChurnOps; i++)
            _victims[i] = random.Next(Pages / 2);
    }

    private static PhysicalRange Range(ulong start, ulong end)
    {
        PhysicalRange.TryFromBounds(start, end, out PhysicalRange r);
        return r;
    }

    /// <summary>Bytes of pool metadata per scratch page, printed by the README's command.</summary>
    public static (double GuestStub, double Linux) MetadataBytesPerPage() =>
        (ScratchPageLayout.MetadataWords(ScratchPageLayout.DefaultChunkSizeBytes, 1) * 8.0 / Pages, Marshal.SizeOf<LinuxPage>());

    [Benchmark(OperationsPerInvoke = 2 * Pages)]
    public ulong GuestStubTakeAllGiveAll()
    {
        ScratchPagePool<NoBalloon>.Create(_regions, _metadata, ScratchPageLayout.DefaultChunkSizeBytes, default, out ScratchPagePool<NoBalloon> pool);
        for (int i = 0; i < Pages; i++)
            pool.AllocatePage(out _held[i]);
        for (int i = 0; i < Pages; i++)
            pool.FreePage(_held[i]);
        return pool.FreePageCount;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * Pages)]
    public ulong LinuxListTakeAllGiveAll()
    {
        int head = LinuxFill();
        for (int i = 0; i < Pages; i++)
        {
            _linuxHeld[i] = head;
            head = _linuxPages[head].Next;
        }
        for (int i = 0; i < Pages; i++)
        {
            int p = _linuxHeld[i];
            _linuxPages[p].Next = head;
            head = p;
        }
        return (ulong)head;
    }

    [Benchmark(OperationsPerInvoke = 2 * ChurnOps)]
    public ulong GuestStubChurn()
    {
        ScratchPagePool<NoBalloon>.Create(_regions, _metadata, ScratchPageLayout.DefaultChunkSizeBytes, default, out ScratchPagePool<NoBalloon> pool);
        for (int i = 0; i < Pages / 2; i++)
            pool.AllocatePage(out _held[i]);
        for (int i = 0; i < ChurnOps; i++)
        {
            int v = _victims[i];
            pool.FreePage(_held[v]);
            pool.AllocatePage(out _held[v]);
        }
        return pool.UsedPageCount;
    }

    [Benchmark(OperationsPerInvoke = 2 * ChurnOps)]
    public ulong LinuxListChurn()
    {
        int head = LinuxFill();
        for (int i = 0; i < Pages / 2; i++)
        {
            _linuxHeld[i] = head;
            head = _linuxPages[head].Next;
        }
        for (int i = 0; i < ChurnOps; i++)
        {
            int v = _victims[i];
            _linuxPages[_linuxHeld[v]].Next = head;
            head = _linuxHeld[v];
            _linuxHeld[v] = head;
            head = _linuxPages[head].Next;
        }
        return (ulong)head;
    }

    /// <summary>Linux's fill_list: one page struct per page, each pushed on the list.</summary>
    private int LinuxFill()
    {
        int head = -1;
        for (int i = Pages - 1; i >= 0; i--)
        {
            _linuxPages[i].Pfn = (0x48000000UL >> 12) + (ulong)i;
            _linuxPages[i].Next = head;
            head = i;
        }
        return head;
    }

    private struct NoBalloon : IBalloonSource
    {
        public GuestStub.Scratch.ScratchStatus TakePage(out ulong address)
        {
            address = 0;
            return GuestStub.Scratch.ScratchStatus.BalloonEmpty;
        }

        public GuestStub.Scratch.ScratchStatus ReturnPage(ulong address) => GuestStub.Scratch.ScratchStatus.NotScratchPage;

        public int PagesOut => 0;

        public GuestStub.Xen.XenFailure LastFailure => GuestStub.Xen.XenFailure.None;
    }
}
