using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using GuestStub.ExtendedRegions;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Report;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Vectors;

namespace GuestStub.GuestTests;

/// <summary>
/// <c>guest-tests.bench</c>: the in-guest benchmarks, in instructions. Run under QEMU with
/// <c>-icount shift=0</c> (<c>./build.sh bench-guest</c>), where virtual time advances 1 ns per
/// executed instruction, so the 62.5 MHz generic counter ticks once per 16 instructions and a
/// count of ticks is a count of instructions that does not depend on the host's load. The
/// calibration loop checks that: a known number of instructions against the ticks they take.
/// <list type="bullet">
/// <item>Device trees (the embedded benchmark trees: Xen's dom0 tree and the generated 4,099-node
/// one): validate + full walk, GuestStub (Dtb.Open and the walk, <see cref="DtbWalk"/>) against
/// libfdt (fdt_check_full and the same walk, <see cref="Libfdt"/>), on the same blob in the same
/// boot; then each half. The checksums of the two walks must agree.</item>
/// <item>Scratch pages: Core's ScratchBench (which only the test image carries) over Xen's
/// dom0 layout: allocate and free, per page.</item>
/// </list>
/// Each figure is the fastest of several runs (a run that took a Xen timer interrupt is not the
/// fastest), in instructions per operation: ticks x 16.
/// </summary>
internal static unsafe class GuestBench
{
    /// <summary>QEMU virt's counter runs at 62.5 MHz; under -icount shift=0 an instruction is 1 ns.</summary>
    internal const ulong InstructionsPerTick = 16;

    /// <summary>Iterations of the calibration loop (4 instructions each): 2^22, about 1 M ticks.</summary>
    private const ulong CalibrationIterations = 1UL << 22;

    private const ulong CalibrationInstructionsPerIteration = 4;

    /// <summary>void gueststub_tests_spin(u64 n): n iterations of exactly 4 instructions (native/bench.S).</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("*", "gueststub_tests_spin")]
    private static extern void Spin(ulong iterations);

    private enum Work
    {
        GuestStubOpenAndWalk,
        LibfdtCheckFullAndWalk,
        GuestStubValidate,
        LibfdtCheckFull,
        LibfdtWalk,
    }

    private struct AddressBuffer { public fixed ulong Pages[4096]; }
    private struct PoolMetadata { public fixed ulong Words[VectorWorkspace.ScratchMetadataWords]; }

    private static AddressBuffer s_addresses;
    private static PoolMetadata s_metadata;

    internal static void Run(ref GuestConsole console)
    {
        Calibrate(ref console);
        for (int i = 0; EmbeddedFiles.TryGet(EmbeddedFiles.Trees, i, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> blob); i++)
            Tree(ref console, name, blob);
        Scratch(ref console);
    }

    /// <summary>The calibration loop's line and figures: instructions per tick (16 under -icount shift=0).</summary>
    internal static void Calibrate(ref GuestConsole console)
    {
        ulong t0 = Native.ReadCntvct();
        Spin(CalibrationIterations);
        ulong ticks = Native.ReadCntvct() - t0;
        ulong instructions = CalibrationIterations * CalibrationInstructionsPerIteration;
        console.Write("guest-bench: counter "u8);
        TextFormat.Decimal(ref console, Native.ReadCntfrq());
        console.Write(" Hz; calibration: "u8);
        TextFormat.Decimal(ref console, instructions);
        console.Write(" instructions in "u8);
        TextFormat.Decimal(ref console, ticks);
        console.Write(" ticks, "u8);
        Thousandths(ref console, instructions, ticks);
        console.Write(" per tick (16 under -icount shift=0)\n"u8);
        ReportLine.Decimal(ref console, "bench.counter_hz"u8, Native.ReadCntfrq());
        ReportLine.Decimal(ref console, "bench.calibration.instructions"u8, instructions);
        ReportLine.Decimal(ref console, "bench.calibration.ticks"u8, ticks);
    }

    private static void Tree(ref GuestConsole console, ReadOnlySpan<byte> name, ReadOnlySpan<byte> blob)
    {
        // About 50 runs' worth of work for a small tree, 4 for the large one.
        int runs = blob.Length < 64 * 1024 ? 16 : 4;
        ulong ours = Fastest(Work.GuestStubOpenAndWalk, blob, runs, out long ourSum);
        ulong theirs = Fastest(Work.LibfdtCheckFullAndWalk, blob, runs, out long theirSum);
        ulong ourValidate = Fastest(Work.GuestStubValidate, blob, runs, out _);
        ulong theirCheck = Fastest(Work.LibfdtCheckFull, blob, runs, out _);
        ulong theirWalk = Fastest(Work.LibfdtWalk, blob, runs, out _);

        console.Write("guest-bench: dtb "u8);
        console.Write(name);
        console.Write(" ("u8);
        TextFormat.Decimal(ref console, (ulong)blob.Length);
        console.Write(" bytes), fastest of "u8);
        TextFormat.Decimal(ref console, (ulong)runs);
        console.Write(" runs: validate + walk: GuestStub "u8);
        TextFormat.Decimal(ref console, ours);
        console.Write(" instructions, libfdt "u8);
        TextFormat.Decimal(ref console, theirs);
        console.Write(", ratio "u8);
        Thousandths(ref console, ours, theirs);
        console.Write("; validate alone: GuestStub "u8);
        TextFormat.Decimal(ref console, ourValidate);
        console.Write(", libfdt fdt_check_full "u8);
        TextFormat.Decimal(ref console, theirCheck);
        console.Write("; libfdt's walk alone "u8);
        TextFormat.Decimal(ref console, theirWalk);
        console.Write("\n"u8);
        if (ourSum != theirSum)
        {
            console.Write("guest-bench: FAIL dtb "u8);
            console.Write(name);
            console.Write(": the walks disagree: GuestStub checksum "u8);
            TextFormat.SignedDecimal(ref console, ourSum);
            console.Write(", libfdt "u8);
            TextFormat.SignedDecimal(ref console, theirSum);
            console.Write("\n"u8);
        }

        Report(ref console, name, ".gueststub "u8, ours);
        Report(ref console, name, ".libfdt "u8, theirs);
        Prefix(ref console, name, ".ratio "u8);
        Thousandths(ref console, ours, theirs);
        console.Write("\n"u8);
        Report(ref console, name, ".gueststub.validate "u8, ourValidate);
        Report(ref console, name, ".libfdt.check_full "u8, theirCheck);
        Report(ref console, name, ".libfdt.walk "u8, theirWalk);
        Prefix(ref console, name, ".checksums "u8);
        console.Write(ourSum == theirSum ? "equal\n"u8 : "differ\n"u8);
    }

    /// <summary>"report bench.dtb.TREE.WHAT VALUE".</summary>
    private static void Report(ref GuestConsole console, ReadOnlySpan<byte> tree, ReadOnlySpan<byte> what, ulong value)
    {
        Prefix(ref console, tree, what);
        TextFormat.Decimal(ref console, value);
        console.Write("\n"u8);
    }

    private static void Prefix(ref GuestConsole console, ReadOnlySpan<byte> tree, ReadOnlySpan<byte> what)
    {
        console.Write("report bench.dtb."u8);
        console.Write(tree);
        console.Write(what);
    }

    /// <summary>The fewest instructions one run of <paramref name="work"/> took, over
    /// <paramref name="runs"/> runs.</summary>
    private static ulong Fastest(Work work, ReadOnlySpan<byte> blob, int runs, out long result)
    {
        ulong best = ulong.MaxValue;
        result = 0;
        fixed (byte* p = blob)
        {
            for (int r = 0; r < runs; r++)
            {
                ulong t0 = Native.ReadCntvct();
                result = work switch
                {
                    Work.GuestStubOpenAndWalk => DtbWalk.OpenAndWalk(blob),
                    Work.LibfdtCheckFullAndWalk => Libfdt.Walk(p, (nuint)blob.Length),
                    Work.GuestStubValidate => DtbWalk.ValidateOnly(blob),
                    Work.LibfdtCheckFull => Libfdt.Check(p, (nuint)blob.Length),
                    _ => Libfdt.WalkOnly(p),
                };
                ulong ticks = Native.ReadCntvct() - t0;
                if (ticks < best)
                    best = ticks;
            }
        }
        return best * InstructionsPerTick;
    }

    /// <summary>Core's ScratchBench over Xen's dom0 layout (-m 1G, dom0_mem=128M): the pool only
    /// keeps books on the addresses, so it runs the same bare and under Xen.</summary>
    private static void Scratch(ref GuestConsole console)
    {
        PhysicalRangeList regions = default;
        PhysicalRangeList ram = default;
        PhysicalRange.TryFromBounds(0x40200000, 0x40240000, out PhysicalRange region0);
        PhysicalRange.TryFromBounds(0x40400000, 0x70000000, out PhysicalRange low);
        PhysicalRange.TryFromBounds(0x78000000, 0x80000000, out PhysicalRange high);
        PhysicalRange.TryFromBounds(0x70000000, 0x78000000, out PhysicalRange dom0Ram);
        regions.TryAdd(region0);
        regions.TryAdd(low);
        regions.TryAdd(high);
        ram.TryAdd(dom0Ram);
        var occupied = new OccupiedSpace { Ram = ram };
        ExtendedRegionSet.Register(regions, occupied, AddressableRange.BelowLimit(1UL << 39), out ExtendedRegionSet set);
        var metadata = new Span<ulong>(Unsafe.AsPointer(ref s_metadata), VectorWorkspace.ScratchMetadataWords);
        ScratchStatus created = ScratchPagePool<ScratchSequenceVectors.NoBalloon>.Create(set, metadata,
            ScratchPageLayout.DefaultChunkSizeBytes, default, out ScratchPagePool<ScratchSequenceVectors.NoBalloon> pool);
        var clock = new CounterTicks();
        ScratchBenchResult result = created == ScratchStatus.Ok
            ? ScratchBench.Time(ref pool, ref clock, new Span<ulong>(Unsafe.AsPointer(ref s_addresses), 4096))
            : default;
        if (created != ScratchStatus.Ok || result.Status != ScratchStatus.Ok || result.Operations == 0)
        {
            console.Write("guest-bench: FAIL scratch: "u8);
            console.Write(ScratchStatusText.Name(created != ScratchStatus.Ok ? created : result.Status));
            console.Write("\n"u8);
            return;
        }
        ulong alloc = result.AllocTicks * InstructionsPerTick / result.Operations;
        ulong free = result.FreeTicks * InstructionsPerTick / result.Operations;
        console.Write("guest-bench: scratch pages over Xen's dom0 layout, "u8);
        TextFormat.Decimal(ref console, result.Operations);
        console.Write(" allocations and frees: allocate "u8);
        TextFormat.Decimal(ref console, alloc);
        console.Write(" instructions per page, free "u8);
        TextFormat.Decimal(ref console, free);
        console.Write("\n"u8);
        ReportLine.Decimal(ref console, "bench.scratch.operations"u8, result.Operations);
        ReportLine.Decimal(ref console, "bench.scratch.alloc_ticks"u8, result.AllocTicks);
        ReportLine.Decimal(ref console, "bench.scratch.free_ticks"u8, result.FreeTicks);
        ReportLine.Decimal(ref console, "bench.scratch.alloc"u8, alloc);
        ReportLine.Decimal(ref console, "bench.scratch.free"u8, free);
    }

    private static void Thousandths(ref GuestConsole console, ulong a, ulong b) => BenchText.Thousandths(ref console, a, b);
}
