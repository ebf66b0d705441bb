using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace GuestStub.Tests.DeviceTree;

/// <summary>
/// A seeded in-process mutation fuzzer. Each execution takes a corpus blob (the fixtures and a
/// few built trees), applies 1-4 structure-aware mutations and runs <see cref="DtbExerciser"/>:
/// an exception (in particular an out-of-bounds span access: the tree is cut to totalsize, so
/// a read past the blob throws) or a hang fails the test with the seed that reproduces it.
/// Every blob the reader accepts must also pass libfdt's fdt_check_full (we are stricter).
/// GUESTSTUB_FUZZ_ITERATIONS (default 3000) and GUESTSTUB_FUZZ_SEED (default 1) set the run;
/// see tests/GuestStub.Core.Tests/README.md.
/// </summary>
public class MutationFuzzTests(ITestOutputHelper output)
{
    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;

    private static readonly uint[] Interesting =
    {
        0, 1, 2, 3, 4, 5, 8, 9, 16, 17, 0x28, 0x7f, 0x80, 0xff, 0xfff, 0x1000, 0x7fffffff, 0x80000000,
        0xfffffff0, 0xfffffffc, 0xffffffff, FdtLayout.Magic, FdtLayout.SwappedMagic,
    };

    private static List<byte[]> Corpus()
    {
        var corpus = new List<byte[]>();
        foreach (string fixture in Tools.FixtureNames())
            corpus.Add(Tools.Dtb(fixture));
        corpus.Add(FdtBuilder.Minimal().Reserve(0x1000, 0x1000).Build());
        return corpus;
    }

    [Fact]
    public async Task Mutated_blobs_never_crash_hang_or_read_out_of_bounds()
    {
        int iterations = EnvInt("GUESTSTUB_FUZZ_ITERATIONS", 3000);
        int seed = EnvInt("GUESTSTUB_FUZZ_SEED", 1);
        List<byte[]> corpus = Corpus();
        bool haveLibfdt = NativeLibrary.TryLoad("libfdt.so.1", out IntPtr libfdt);
        var accepted = new int[1];
        var errors = new Dictionary<DtbError, int>();

        Task run = Task.Run(() =>
        {
            for (int i = 0; i < iterations; i++)
            {
                int executionSeed = unchecked(seed * 1_000_003 + i);
                byte[] blob = Mutate(corpus, new Random(executionSeed));
                try
                {
                    DtbExerciser.Run(blob);
                }
                catch (Exception e)
                {
                    throw new Exception($"execution seed {executionSeed} (GUESTSTUB_FUZZ_SEED={seed}, iteration {i}): {e}");
                }
                DtbStatus status = Dtb.Open(blob, out _);
                errors[status.Error] = errors.GetValueOrDefault(status.Error) + 1;
                if (status.IsOk)
                {
                    accepted[0]++;
                    if (haveLibfdt)
                        Assert.True(LibfdtAccepts(libfdt, blob), $"execution seed {executionSeed}: accepted here, refused by fdt_check_full");
                }
            }
        });
        // A hang shows up as a timeout (generous: a few thousand executions take well under a second).
        Task first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(Math.Max(60, iterations / 100))));
        Assert.True(first == run, "fuzzer timed out: a hang?");
        await run;
        foreach ((DtbError error, int count) in errors)
            output.WriteLine($"{error}: {count}");
        output.WriteLine($"{iterations} executions, {accepted[0]} accepted, libfdt oracle {(haveLibfdt ? "on" : "off")}");
    }

    private static unsafe bool LibfdtAccepts(IntPtr libfdt, byte[] blob)
    {
        var check = (delegate* unmanaged<byte*, nuint, int>)NativeLibrary.GetExport(libfdt, "fdt_check_full");
        fixed (byte* p = blob)
            return check(p, (nuint)blob.Length) == 0;
    }

    private static byte[] Mutate(List<byte[]> corpus, Random random)
    {
        byte[] source = corpus[random.Next(corpus.Count)];
        var blob = new List<byte>(source);
        int structStart = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(source.AsSpan(8)), (uint)source.Length);
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations && blob.Count > 0; m++)
        {
            // Aim at the header a quarter of the time, else anywhere (mostly the structure block).
            int position = random.Next(4) == 0 ? random.Next(Math.Min(40, blob.Count)) : random.Next(blob.Count);
            int aligned = position & ~3;
            switch (random.Next(8))
            {
                case 0:
                    blob[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    blob[position] = (byte)random.Next(256);
                    break;
                case 2:
                case 3:
                    if (aligned + 4 <= blob.Count)
                    {
                        uint value = random.Next(3) == 0 ? (uint)random.Next(0, 0x200) : Interesting[random.Next(Interesting.Length)];
                        for (int k = 0; k < 4; k++)
                            blob[aligned + k] = (byte)(value >> (24 - 8 * k));
                    }
                    break;
                case 4:
                    int cut = random.Next(blob.Count + 1);
                    blob.RemoveRange(cut, blob.Count - cut);
                    break;
                case 5:
                    // Delete or duplicate a word inside the structure block, then fix the header
                    // sizes so the walk, not the header check, meets the damage.
                    if (aligned >= structStart && aligned + 4 <= blob.Count)
                    {
                        int delta;
                        if (random.Next(2) == 0)
                        {
                            blob.RemoveRange(aligned, 4);
                            delta = -4;
                        }
                        else
                        {
                            blob.InsertRange(aligned, blob.GetRange(aligned, 4));
                            delta = 4;
                        }
                        FixSizes(blob, aligned, delta);
                    }
                    break;
                case 6:
                    // Splice a token sequence from elsewhere in the blob.
                    if (blob.Count > 8)
                    {
                        int from = random.Next(blob.Count - 4) & ~3;
                        int length = Math.Min(4 * (1 + random.Next(8)), blob.Count - from);
                        byte[] chunk = blob.GetRange(from, length).ToArray();
                        for (int k = 0; k < chunk.Length && aligned + k < blob.Count; k++)
                            blob[aligned + k] = chunk[k];
                    }
                    break;
                default:
                    // A token that opens or closes a node, or a property length.
                    if (aligned + 4 <= blob.Count)
                    {
                        uint token = (uint)(1 + random.Next(9));
                        for (int k = 0; k < 4; k++)
                            blob[aligned + k] = (byte)(token >> (24 - 8 * k));
                    }
                    break;
            }
        }
        return blob.ToArray();
    }

    /// <summary>After inserting or deleting at <paramref name="at"/>: adjust totalsize, the
    /// struct size, and the strings offset when the strings block follows.</summary>
    private static void FixSizes(List<byte> blob, int at, int delta)
    {
        if (blob.Count < 40)
            return;
        Span<byte> header = stackalloc byte[40];
        for (int k = 0; k < 40; k++)
            header[k] = blob[k];
        void Add(Span<byte> h, int field, int d) =>
            BinaryPrimitives.WriteUInt32BigEndian(h.Slice(field), (uint)(BinaryPrimitives.ReadUInt32BigEndian(h.Slice(field)) + d));
        Add(header, FdtLayout.TotalSizeOffset, delta);
        Add(header, FdtLayout.StructSizeOffset, delta);
        if (BinaryPrimitives.ReadUInt32BigEndian(header.Slice(FdtLayout.StringsOffsetOffset)) > (uint)at)
            Add(header, FdtLayout.StringsOffsetOffset, delta);
        for (int k = 0; k < 40; k++)
            blob[k] = header[k];
    }
}
