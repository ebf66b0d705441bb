using System;
using GuestStub.ExtendedRegions;
using GuestStub.Scratch;
using GuestStub.Text;
using GuestStub.Xen;

namespace GuestStub.Vectors;

/// <summary>
/// <see cref="VectorSuite.ScratchSequence"/>: a scratch pool over the record's extended regions
/// (which must give a target resource), driven through <c>operations</c> operations drawn from
/// <see cref="SplitMix64"/>(<c>seed</c>) as <see cref="ScratchOperation"/> says, holding at most
/// <c>max-held</c> pages; with a <c>max-run</c> field above 0 it also takes runs of contiguous
/// pages (<c>AllocateRun</c>, <c>FreeRun</c>) and holds up to <see cref="MaxRunsHeld"/> of them.
/// Every operation adds to a checksum its kind, its status and every page
/// it is handed (<see cref="SequenceChecksum"/>), so the pool's exact choice of pages is checked,
/// not just its counts. The result, as text, must equal <c>expected</c>:
/// <code>
/// chunks 3
/// pages.free 98000
/// pages.used 304
/// status ok 371                  one line per status seen, in ScratchStatus order
/// checksum 0x0123456789abcdef
/// release ok free 98304 used 0   every held page and run freed at the end
/// </code>
/// </summary>
public static class ScratchSequenceVectors
{
    /// <summary>What a skipped operation (nothing to free, no room to hold) adds to the checksum.</summary>
    public const ulong Skipped = 0xff;

    /// <summary>Runs a sequence holds at once.</summary>
    public const int MaxRunsHeld = 8;

    /// <summary>The longest run a vector may ask for (4 GiB of pages).</summary>
    public const ulong MaxRunLimit = 1UL << 20;

    public static bool Check<TSink>(in VectorRecord record, scoped ref VectorWorkspace workspace, ref TSink detail) where TSink : struct, ITextSink
    {
        if (!record.TryGetBytes(VectorTag.Expected, out ReadOnlySpan<byte> expected))
            return FieldText.Missing(ref detail, VectorTag.Expected);
        if (!record.TryGetU64(VectorTag.ChunkShift, out ulong shift))
            return FieldText.Missing(ref detail, VectorTag.ChunkShift);
        if (!record.TryGetU64(VectorTag.MaxChunks, out ulong maxChunks))
            return FieldText.Missing(ref detail, VectorTag.MaxChunks);
        if (!record.TryGetU64(VectorTag.Seed, out ulong seed))
            return FieldText.Missing(ref detail, VectorTag.Seed);
        if (!record.TryGetU64(VectorTag.Operations, out ulong operations))
            return FieldText.Missing(ref detail, VectorTag.Operations);
        if (!record.TryGetU64(VectorTag.MaxBatch, out ulong maxBatch))
            return FieldText.Missing(ref detail, VectorTag.MaxBatch);
        if (!record.TryGetU64(VectorTag.MaxHeld, out ulong maxHeld))
            return FieldText.Missing(ref detail, VectorTag.MaxHeld);
        if (shift > 30)
            return FieldText.OutOfRange(ref detail, VectorTag.ChunkShift, shift);
        if (maxChunks == 0 || maxChunks > 4096)
            return FieldText.OutOfRange(ref detail, VectorTag.MaxChunks, maxChunks);
        long words = ScratchPageLayout.MetadataWords(1UL << (int)shift, (int)maxChunks);
        if (words <= 0 || words > workspace.ScratchMetadata.Length)
            return FieldText.OutOfRange(ref detail, VectorTag.MaxChunks, maxChunks);
        if (maxBatch == 0 || maxBatch > (ulong)workspace.Batch.Length || workspace.Batch.Length < 2)
            return FieldText.OutOfRange(ref detail, VectorTag.MaxBatch, maxBatch);
        if (maxHeld == 0 || maxHeld > (ulong)workspace.Held.Length)
            return FieldText.OutOfRange(ref detail, VectorTag.MaxHeld, maxHeld);
        if (operations > 1_000_000)
            return FieldText.OutOfRange(ref detail, VectorTag.Operations, operations);
        // Absent in the sequences written before runs existed: those draw as they always did.
        if (!record.TryGetU64(VectorTag.MaxRun, out ulong maxRun))
            maxRun = 0;
        if (maxRun > MaxRunLimit)
            return FieldText.OutOfRange(ref detail, VectorTag.MaxRun, maxRun);
        if (!RegionInputs.TryRegister(record, out ExtendedRegionSet set, ref detail))
            return false;
        if (!set.HasResource)
        {
            detail.Write("no target resource: "u8);
            detail.Write(GuestStub.ExtendedRegions.ExtendedRegionText.Name(set.Status));
            return false;
        }

        Span<ulong> metadata = workspace.ScratchMetadata.Slice(0, (int)words);
        metadata.Clear();
        ScratchStatus created = ScratchPagePool<NoBalloon>.Create(set, metadata, 1UL << (int)shift, default, out ScratchPagePool<NoBalloon> pool);
        if (created != ScratchStatus.Ok)
        {
            detail.Write("ScratchPagePool.Create: "u8);
            detail.Write(ScratchStatusText.Name(created));
            return false;
        }

        scoped Run run = new Run(workspace.Held.Slice(0, (int)maxHeld), workspace.Batch, (int)maxBatch, maxRun, seed);
        for (ulong i = 0; i < operations; i++)
            run.Step(ref pool);

        TextBuffer text = default;
        Line(ref text, "chunks "u8, (ulong)pool.ChunkCount);
        Line(ref text, "pages.free "u8, pool.FreePageCount);
        Line(ref text, "pages.used "u8, pool.UsedPageCount);
        for (int s = 0; s < Run.StatusKinds; s++)
        {
            ulong count = run.Count(s);
            if (count == 0)
                continue;
            text.Write("status "u8);
            text.Write(ScratchStatusText.Name((ScratchStatus)s));
            text.Write(" "u8);
            TextFormat.Decimal(ref text, count);
            text.Write("\n"u8);
        }
        run.Checksum.Add(pool.FreePageCount);
        run.Checksum.Add(pool.UsedPageCount);
        run.Checksum.Add((ulong)pool.ChunkCount);
        text.Write("checksum "u8);
        TextFormat.Hex(ref text, run.Checksum.Value);
        text.Write("\n"u8);
        ScratchStatus released = pool.Free(run.HeldPages);
        ScratchStatus runsReleased = run.FreeRuns(ref pool);
        if (released == ScratchStatus.Ok)
            released = runsReleased;
        text.Write("release "u8);
        text.Write(ScratchStatusText.Name(released));
        text.Write(" free "u8);
        TextFormat.Decimal(ref text, pool.FreePageCount);
        text.Write(" used "u8);
        TextFormat.Decimal(ref text, pool.UsedPageCount);
        text.Write("\n"u8);
        return TextComparison.Check(expected, ref text, ref detail);
    }

    private static void Line(ref TextBuffer text, ReadOnlySpan<byte> key, ulong value)
    {
        text.Write(key);
        TextFormat.Decimal(ref text, value);
        text.Write("\n"u8);
    }

    /// <summary>The sequence's state: the pages held (in the caller's span), the PRNG, the
    /// checksum and the status counts.</summary>
    private unsafe ref struct Run
    {
        public const int StatusKinds = 8;

        private readonly Span<ulong> _held;
        private readonly Span<ulong> _batch;
        private readonly int _maxBatch;
        private readonly ulong _maxRun;
        private int _count;
        private int _runCount;
        private fixed ulong _runStart[MaxRunsHeld];
        private fixed ulong _runPages[MaxRunsHeld];
        private ulong _lastFreedRunStart;
        private ulong _lastFreedRunPages;
        private SplitMix64 _random;
        private ulong _lastFreed;
        private bool _hasLastFreed;
        private fixed ulong _statuses[StatusKinds];
        public SequenceChecksum Checksum;

        public Run(Span<ulong> held, Span<ulong> batch, int maxBatch, ulong maxRun, ulong seed)
        {
            _held = held;
            _batch = batch;
            _maxBatch = maxBatch;
            _maxRun = maxRun;
            _random = new SplitMix64(seed);
            Checksum = SequenceChecksum.Start;
        }

        public readonly Span<ulong> HeldPages => _held.Slice(0, _count);

        public readonly ulong Count(int status) => _statuses[status];

        private void Outcome(ScratchStatus status)
        {
            if ((int)status < StatusKinds)
                _statuses[(int)status]++;
            Checksum.Add((ulong)status);
        }

        public void Step(scoped ref ScratchPagePool<NoBalloon> pool)
        {
            ulong draw = _random.Next();
            int operation = (int)(draw % (_maxRun > 0 ? 10UL : 8UL));
            int argument = (int)((draw >> 3) & 0x7fffffff);
            switch (operation)
            {
                case 0:
                case 1:
                case 2:
                    AllocateBatch(ref pool, argument);
                    break;
                case 3:
                    AllocatePage(ref pool);
                    break;
                case 4:
                case 5:
                    FreeBatch(ref pool, argument);
                    break;
                case 6:
                    FreeOne(ref pool, argument);
                    break;
                case 7:
                    Misuse(ref pool, draw, argument);
                    break;
                case 8:
                    AllocateRun(ref pool, argument);
                    break;
                default:
                    FreeRun(ref pool, argument);
                    break;
            }
        }

        private void AllocateRun(scoped ref ScratchPagePool<NoBalloon> pool, int argument)
        {
            Checksum.Add((ulong)ScratchOperation.AllocateRun);
            if (_runCount == MaxRunsHeld)
            {
                Checksum.Add(Skipped);
                return;
            }
            ulong pages = 1 + (ulong)argument % _maxRun;
            ScratchStatus status = pool.AllocateRun(pages, out ulong start);
            Outcome(status);
            if (status != ScratchStatus.Ok)
                return;
            Checksum.Add(start);
            Checksum.Add(pages);
            _runStart[_runCount] = start;
            _runPages[_runCount] = pages;
            _runCount++;
        }

        private void FreeRun(scoped ref ScratchPagePool<NoBalloon> pool, int argument)
        {
            Checksum.Add((ulong)ScratchOperation.FreeRun);
            if (_runCount == 0)
            {
                Checksum.Add(Skipped);
                return;
            }
            int i = argument % _runCount;
            ScratchStatus status = pool.FreeRun(_runStart[i], _runPages[i]);
            Outcome(status);
            if (status != ScratchStatus.Ok)
                return;
            _lastFreedRunStart = _runStart[i];
            _lastFreedRunPages = _runPages[i];
            _runCount--;
            _runStart[i] = _runStart[_runCount];
            _runPages[i] = _runPages[_runCount];
        }

        /// <summary>Gives back every held run, in the order held; the first refusal, if any.</summary>
        public ScratchStatus FreeRuns(scoped ref ScratchPagePool<NoBalloon> pool)
        {
            ScratchStatus first = ScratchStatus.Ok;
            for (int i = 0; i < _runCount; i++)
            {
                ScratchStatus status = pool.FreeRun(_runStart[i], _runPages[i]);
                if (first == ScratchStatus.Ok)
                    first = status;
            }
            _runCount = 0;
            return first;
        }

        private void AllocateBatch(scoped ref ScratchPagePool<NoBalloon> pool, int argument)
        {
            Checksum.Add((ulong)ScratchOperation.AllocateBatch);
            int k = 1 + argument % _maxBatch;
            if (k > _held.Length - _count)
                k = _held.Length - _count;
            if (k == 0)
            {
                Checksum.Add(Skipped);
                return;
            }
            Span<ulong> pages = _held.Slice(_count, k);
            ScratchStatus status = pool.Allocate(pages);
            Outcome(status);
            if (status != ScratchStatus.Ok)
                return;
            for (int i = 0; i < k; i++)
                Checksum.Add(pages[i]);
            _count += k;
        }

        private void AllocatePage(scoped ref ScratchPagePool<NoBalloon> pool)
        {
            Checksum.Add((ulong)ScratchOperation.AllocatePage);
            if (_count == _held.Length)
            {
                Checksum.Add(Skipped);
                return;
            }
            ScratchStatus status = pool.AllocatePage(out ulong page);
            Outcome(status);
            if (status != ScratchStatus.Ok)
                return;
            _held[_count++] = page;
            Checksum.Add(page);
        }

        private void FreeBatch(scoped ref ScratchPagePool<NoBalloon> pool, int argument)
        {
            Checksum.Add((ulong)ScratchOperation.FreeBatch);
            if (_count == 0)
            {
                Checksum.Add(Skipped);
                return;
            }
            int k = 1 + argument % Math.Min(_count, _maxBatch);
            // A partial Fisher-Yates shuffle puts k random held pages first.
            for (int j = 0; j < k; j++)
            {
                int i = j + _random.Below(_count - j);
                ulong page = _held[i];
                _held[i] = _held[j];
                _held[j] = page;
                _batch[j] = page;
            }
            ScratchStatus status = pool.Free(_batch.Slice(0, k));
            Outcome(status);
            if (status != ScratchStatus.Ok)
                return;
            _lastFreed = _batch[0];
            _hasLastFreed = true;
            for (int i = k; i < _count; i++)
                _held[i - k] = _held[i];
            _count -= k;
        }

        private void FreeOne(scoped ref ScratchPagePool<NoBalloon> pool, int argument)
        {
            Checksum.Add((ulong)ScratchOperation.FreePage);
            if (_count == 0)
            {
                Checksum.Add(Skipped);
                return;
            }
            int i = argument % _count;
            ulong page = _held[i];
            ScratchStatus status = pool.FreePage(page);
            Outcome(status);
            if (status != ScratchStatus.Ok)
                return;
            _lastFreed = page;
            _hasLastFreed = true;
            _held[i] = _held[_count - 1];
            _count--;
        }

        private void Misuse(scoped ref ScratchPagePool<NoBalloon> pool, ulong draw, int argument)
        {
            Checksum.Add((ulong)ScratchOperation.Misuse);
            int kind = argument % (_maxRun > 0 ? 4 : 3);
            Checksum.Add((ulong)kind);
            switch (kind)
            {
                case 0:
                    if (!_hasLastFreed || Holds(_lastFreed))
                    {
                        Checksum.Add(Skipped);
                        return;
                    }
                    Outcome(pool.FreePage(_lastFreed));
                    return;
                case 1:
                    if (_count == 0)
                    {
                        Checksum.Add(Skipped);
                        return;
                    }
                    ulong page = _held[argument / 3 % _count];
                    _batch[0] = page;
                    _batch[1] = page;
                    Outcome(pool.Free(_batch.Slice(0, 2)));
                    return;
                case 2:
                    Outcome(pool.FreePage(((draw >> 16) << 12) | 8));
                    return;
                default:
                    if (_lastFreedRunPages == 0 || HoldsAny(_lastFreedRunStart, _lastFreedRunPages))
                    {
                        Checksum.Add(Skipped);
                        return;
                    }
                    Outcome(pool.FreeRun(_lastFreedRunStart, _lastFreedRunPages));
                    return;
            }
        }

        private readonly bool Holds(ulong page) => HoldsAny(page, 1);

        /// <summary>True when a held page, or a page of a held run, lies in the
        /// <paramref name="pages"/> pages from <paramref name="start"/>.</summary>
        private readonly bool HoldsAny(ulong start, ulong pages)
        {
            ulong bytes = pages << GuestStub.Memory.PageSize.Shift;
            for (int i = 0; i < _count; i++)
            {
                if (_held[i] - start < bytes)
                    return true;
            }
            for (int i = 0; i < _runCount; i++)
            {
                if (_runStart[i] < start + bytes && start < _runStart[i] + (_runPages[i] << GuestStub.Memory.PageSize.Shift))
                    return true;
            }
            return false;
        }
    }

    /// <summary>The sequences always have a target resource: a balloon that never gives a page.</summary>
    public struct NoBalloon : IBalloonSource
    {
        public readonly int PagesOut => 0;

        public readonly XenFailure LastFailure => default;

        public ScratchStatus TakePage(out ulong address)
        {
            address = 0;
            return ScratchStatus.BalloonEmpty;
        }

        public ScratchStatus ReturnPage(ulong address) => ScratchStatus.NotScratchPage;
    }
}
