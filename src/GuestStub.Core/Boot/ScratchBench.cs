using System;
using GuestStub.Scratch;
using GuestStub.Text;

namespace GuestStub.Boot;

/// <summary>
/// <c>gueststub.bench=scratch</c>: times the scratch pool's allocate and free with the caller's
/// tick source (CNTVCT_EL0 in the guest) over <see cref="Rounds"/> rounds of allocating a batch
/// of pages one by one (as many as <c>addresses</c> holds) and freeing them in the same order.
/// The pool ends as it began (every page back). Report lines: <c>scratch.bench.ops</c> (operations
/// of each kind), <c>scratch.bench.alloc_ns</c> and <c>scratch.bench.free_ns</c> (nanoseconds per
/// operation, rounded; the counter ticks every 16 ns on QEMU virt, the mean over many
/// operations is finer), <c>scratch.bench.counter_hz</c>,
/// or <c>scratch.bench error &lt;status&gt;</c>.
/// </summary>
public static class ScratchBench
{
    public const int Rounds = 16;

    public static ScratchStatus Run<TBalloon, TClock, TSink>(ref ScratchPagePool<TBalloon> pool, ref TClock clock, ref TSink sink,
        Span<ulong> addresses)
        where TBalloon : struct, IBalloonSource where TClock : struct, ITickSource where TSink : struct, ITextSink
    {
        ulong allocTicks = 0, freeTicks = 0, ops = 0;
        ScratchStatus status = ScratchStatus.Ok;
        // Fill up front, so the first round does not time a chunk fill.
        if (pool.FreePageCount < (ulong)addresses.Length)
            status = pool.Fill((ulong)addresses.Length - pool.FreePageCount);
        for (int round = 0; round < Rounds && status == ScratchStatus.Ok; round++)
        {
            int taken = 0;
            ulong t0 = clock.ReadTicks();
            for (; taken < addresses.Length; taken++)
            {
                status = pool.AllocatePage(out addresses[taken]);
                if (status != ScratchStatus.Ok)
                    break;
            }
            ulong t1 = clock.ReadTicks();
            for (int i = 0; i < taken; i++)
            {
                ScratchStatus f = pool.FreePage(addresses[i]);
                if (f != ScratchStatus.Ok && status == ScratchStatus.Ok)
                    status = f;
            }
            ulong t2 = clock.ReadTicks();
            allocTicks += t1 - t0;
            freeTicks += t2 - t1;
            ops += (ulong)taken;
        }

        if (status != ScratchStatus.Ok)
        {
            ReportLine.Write(ref sink, "scratch.bench"u8, "error "u8, ScratchStatusText.Name(status), default);
            return status;
        }
        ulong hz = clock.TicksPerSecond();
        sink.Write("GuestStub: scratch bench: "u8);
        TextFormat.Decimal(ref sink, ops);
        sink.Write(" allocations and frees of one page, "u8);
        TextFormat.Decimal(ref sink, allocTicks);
        sink.Write(" + "u8);
        TextFormat.Decimal(ref sink, freeTicks);
        sink.Write(" ticks at "u8);
        TextFormat.Decimal(ref sink, hz);
        sink.Write(" Hz\n"u8);
        ReportLine.Decimal(ref sink, "scratch.bench.ops"u8, ops);
        ReportLine.Decimal(ref sink, "scratch.bench.alloc_ns"u8, (Picoseconds(allocTicks, ops, hz) + 500) / 1000);
        ReportLine.Decimal(ref sink, "scratch.bench.free_ns"u8, (Picoseconds(freeTicks, ops, hz) + 500) / 1000);
        ReportLine.Decimal(ref sink, "scratch.bench.counter_hz"u8, hz);
        return ScratchStatus.Ok;
    }

    /// <summary>ticks / ops / hz in picoseconds, in integers: ticks * 10^6 / ops first (no
    /// overflow below 1.8e13 ticks), then * 10^6 / hz.</summary>
    public static ulong Picoseconds(ulong ticks, ulong ops, ulong hz)
    {
        if (ops == 0 || hz == 0)
            return 0;
        ulong microTicksPerOp = ticks * 1_000_000 / ops;
        return microTicksPerOp / hz * 1_000_000 + microTicksPerOp % hz * 1_000_000 / hz;
    }
}
