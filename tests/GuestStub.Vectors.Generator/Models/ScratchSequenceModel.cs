using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// A scratch sequence run on <see cref="ScratchPoolModel"/>: the same draws from
/// <see cref="SplitMix64"/> and the same operations, held list and checksum as
/// ScratchSequenceVectors (GuestStub.Vectors) documents, giving the text it must print.
/// </summary>
public static class ScratchSequenceModel
{
    private static readonly string[] StatusNames =
        { "ok", "bad-chunk-size", "no-space", "metadata-full", "double-free", "not-a-scratch-page", "balloon-empty", "balloon-failed" };

    public static string Run(ExtendedRegionModel regions, int chunkShift, int maxChunks, ulong seed, int operations, int maxBatch, int maxHeld,
        ulong maxRun = 0)
    {
        var pool = new ScratchPoolModel(regions, 1UL << chunkShift, maxChunks);
        var random = new SplitMix64(seed);
        var held = new List<ulong>();
        var counts = new ulong[StatusNames.Length];
        SequenceChecksum checksum = SequenceChecksum.Start;
        ulong? lastFreed = null;
        var runs = new List<(ulong Start, ulong Pages)>();
        (ulong Start, ulong Pages)? lastFreedRun = null;

        bool HoldsAny(ulong start, ulong pages)
        {
            ulong end = start + pages * 4096;
            return held.Any(p => p >= start && p < end) || runs.Any(r => r.Start < end && start < r.Start + r.Pages * 4096);
        }

        void Outcome(string status)
        {
            int s = Array.IndexOf(StatusNames, status);
            counts[s]++;
            checksum.Add((ulong)s);
        }

        for (int n = 0; n < operations; n++)
        {
            ulong draw = random.Next();
            int operation = (int)(draw % (maxRun > 0 ? 10UL : 8UL));
            int argument = (int)((draw >> 3) & 0x7fffffff);
            switch (operation)
            {
                case 0:
                case 1:
                case 2:
                {
                    checksum.Add((ulong)ScratchOperation.AllocateBatch);
                    int k = Math.Min(1 + argument % maxBatch, maxHeld - held.Count);
                    if (k == 0)
                    {
                        checksum.Add(ScratchSequenceVectors.Skipped);
                        break;
                    }
                    var pages = new List<ulong>();
                    string status = pool.Allocate(k, pages);
                    Outcome(status);
                    if (status != "ok")
                        break;
                    foreach (ulong p in pages)
                        checksum.Add(p);
                    held.AddRange(pages);
                    break;
                }
                case 3:
                {
                    checksum.Add((ulong)ScratchOperation.AllocatePage);
                    if (held.Count == maxHeld)
                    {
                        checksum.Add(ScratchSequenceVectors.Skipped);
                        break;
                    }
                    string status = pool.AllocatePage(out ulong page);
                    Outcome(status);
                    if (status != "ok")
                        break;
                    held.Add(page);
                    checksum.Add(page);
                    break;
                }
                case 4:
                case 5:
                {
                    checksum.Add((ulong)ScratchOperation.FreeBatch);
                    if (held.Count == 0)
                    {
                        checksum.Add(ScratchSequenceVectors.Skipped);
                        break;
                    }
                    int k = 1 + argument % Math.Min(held.Count, maxBatch);
                    var batch = new List<ulong>();
                    for (int j = 0; j < k; j++)
                    {
                        int i = j + random.Below(held.Count - j);
                        (held[i], held[j]) = (held[j], held[i]);
                        batch.Add(held[j]);
                    }
                    string status = pool.Free(batch);
                    Outcome(status);
                    if (status != "ok")
                        break;
                    lastFreed = batch[0];
                    held.RemoveRange(0, k);
                    break;
                }
                case 6:
                {
                    checksum.Add((ulong)ScratchOperation.FreePage);
                    if (held.Count == 0)
                    {
                        checksum.Add(ScratchSequenceVectors.Skipped);
                        break;
                    }
                    int i = argument % held.Count;
                    string status = pool.FreePage(held[i]);
                    Outcome(status);
                    if (status != "ok")
                        break;
                    lastFreed = held[i];
                    held[i] = held[^1];
                    held.RemoveAt(held.Count - 1);
                    break;
                }
                case 8:
                {
                    checksum.Add((ulong)ScratchOperation.AllocateRun);
                    if (runs.Count == ScratchSequenceVectors.MaxRunsHeld)
                    {
                        checksum.Add(ScratchSequenceVectors.Skipped);
                        break;
                    }
                    ulong pages = 1 + (ulong)argument % maxRun;
                    string status = pool.AllocateRun(pages, out ulong start);
                    Outcome(status);
                    if (status != "ok")
                        break;
                    checksum.Add(start);
                    checksum.Add(pages);
                    runs.Add((start, pages));
                    break;
                }
                case 9:
                {
                    checksum.Add((ulong)ScratchOperation.FreeRun);
                    if (runs.Count == 0)
                    {
                        checksum.Add(ScratchSequenceVectors.Skipped);
                        break;
                    }
                    int i = argument % runs.Count;
                    string status = pool.FreeRun(runs[i].Start, runs[i].Pages);
                    Outcome(status);
                    if (status != "ok")
                        break;
                    lastFreedRun = runs[i];
                    runs[i] = runs[^1];
                    runs.RemoveAt(runs.Count - 1);
                    break;
                }
                default:
                {
                    checksum.Add((ulong)ScratchOperation.Misuse);
                    int kind = argument % (maxRun > 0 ? 4 : 3);
                    checksum.Add((ulong)kind);
                    if (kind == 0)
                    {
                        if (lastFreed is not ulong last || HoldsAny(last, 1))
                            checksum.Add(ScratchSequenceVectors.Skipped);
                        else
                            Outcome(pool.FreePage(last));
                    }
                    else if (kind == 1)
                    {
                        if (held.Count == 0)
                        {
                            checksum.Add(ScratchSequenceVectors.Skipped);
                            break;
                        }
                        ulong page = held[argument / 3 % held.Count];
                        Outcome(pool.Free(new[] { page, page }));
                    }
                    else if (kind == 2)
                    {
                        Outcome(pool.FreePage(((draw >> 16) << 12) | 8));
                    }
                    else
                    {
                        if (lastFreedRun is not (ulong start, ulong pages) || HoldsAny(start, pages))
                            checksum.Add(ScratchSequenceVectors.Skipped);
                        else
                            Outcome(pool.FreeRun(start, pages));
                    }
                    break;
                }
            }
        }

        var text = new StringBuilder();
        text.Append("chunks ").Append(pool.ChunkCount).Append('\n');
        text.Append("pages.free ").Append(pool.FreePages).Append('\n');
        text.Append("pages.used ").Append(pool.UsedPages).Append('\n');
        for (int s = 0; s < StatusNames.Length; s++)
        {
            if (counts[s] != 0)
                text.Append("status ").Append(StatusNames[s]).Append(' ').Append(counts[s]).Append('\n');
        }
        checksum.Add(pool.FreePages);
        checksum.Add(pool.UsedPages);
        checksum.Add((ulong)pool.ChunkCount);
        text.Append("checksum ").Append(Hex.Of(checksum.Value)).Append('\n');
        string released = pool.Free(held);
        foreach ((ulong start, ulong pages) in runs)
        {
            string status = pool.FreeRun(start, pages);
            if (released == "ok")
                released = status;
        }
        text.Append("release ").Append(released).Append(" free ").Append(pool.FreePages).Append(" used ").Append(pool.UsedPages).Append('\n');
        return text.ToString();
    }
}
