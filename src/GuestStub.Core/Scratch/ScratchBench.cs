using System;
using GuestStub.Memory;
using GuestStub.Platform;

namespace GuestStub.Scratch;

/// <summary>What <see cref="ScratchBench.Time"/> measured.</summary>
public readonly struct ScratchBenchResult
{
    public readonly ScratchStatus Status;
    /// <summary>Allocations (and as many frees) timed.</summary>
    public readonly ulong Operations;
    public readonly ulong AllocTicks;
    public readonly ulong FreeTicks;
    public readonly ulong TicksPerSecond;

    public ScratchBenchResult(ScratchStatus status, ulong operations, ulong allocTicks, ulong freeTicks, ulong ticksPerSecond)
    {
        Status = status;
        Operations = operations;
        AllocTicks = allocTicks;
        FreeTicks = freeTicks;
        TicksPerSecond = ticksPerSecond;
    }

    /// <summary>Nanoseconds per allocation, rounded.</summary>
    public ulong AllocNanoseconds => (ScratchBench.Picoseconds(AllocTicks, Operations, TicksPerSecond) + 500) / 1000;

    /// <summary>Nanoseconds per free, rounded.</summary>
    public ulong FreeNanoseconds => (ScratchBench.Picoseconds(FreeTicks, Operations, TicksPerSecond) + 500) / 1000;
}

/// <summary>
/// Times the scratch pool's allocate and free with the caller's tick source (CNTVCT_EL0 in the
/// guest) over <see cref="Rounds"/> rounds of allocating a batch of pages one by one (as many as
/// the buffer of addresses holds) and freeing them in the same order. The pool ends as it began
/// (every page back). The counter ticks every 16 ns on QEMU virt (and once per 16 instructions
/// under <c>-icount shift=0</c>); the mean over many operations is finer. The test image runs it
/// (tests/GuestStub.GuestTests, <c>./build.sh bench-guest</c>); the product image does not carry it.
/// </summary>
public static class ScratchBench
{
    public const int Rounds = 16;

    /// <summary>The timing itself, over the caller's buffer of addresses.</summary>
    public static ScratchBenchResult Time<TBalloon, TClock>(ref ScratchPagePool<TBalloon> pool, ref TClock clock, Span<ulong> addresses)
        where TBalloon : struct, IBalloonSource, allows ref struct where TClock : struct, ITickSource
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
        return new ScratchBenchResult(status, ops, allocTicks, freeTicks, clock.TicksPerSecond());
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
