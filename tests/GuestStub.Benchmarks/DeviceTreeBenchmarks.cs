using System;
using BenchmarkDotNet.Attributes;
using GuestStub.GuestTests;

namespace GuestStub.Benchmarks;

/// <summary>
/// Validate + full walk (every node name, every property name and value), the same work on
/// both sides: <see cref="Libfdt"/> runs fdt_check_full then fdt_next_node /
/// fdt_for_each_property_offset / fdt_getprop_by_offset; GuestStub runs Dtb.Open (the whole
/// validation) then TryGetNextNode / TryGetFirstProperty / TryGetNextProperty.
/// </summary>
[MemoryDiagnoser]
public class DeviceTreeBenchmarks
{
    private byte[] _blob = Array.Empty<byte>();

    [Params("qemu-virt", "xen-dom0", "generated-4k")]
    public string Tree { get; set; } = "qemu-virt";

    [GlobalSetup]
    public void Setup()
    {
        _blob = Trees.Load(Tree);
        Libfdt.Load();
        long ours = DtbWalk.OpenAndWalk(_blob);
        long theirs = Libfdt.Walk(_blob);
        if (ours != theirs)
            throw new InvalidOperationException($"checksums differ: GuestStub {ours}, libfdt {theirs}");
    }

    [Benchmark(Baseline = true)]
    public long LibfdtCheckFullAndWalk() => Libfdt.Walk(_blob);

    [Benchmark]
    public long GuestStubOpenAndWalk() => DtbWalk.OpenAndWalk(_blob);

    // The two halves, to show where the time goes. libfdt's walk alone is unchecked (it trusts
    // the blob); GuestStub cannot walk without validating, so its walk is the difference.

    [Benchmark]
    public long LibfdtCheckFullOnly() => Libfdt.Check(_blob);

    [Benchmark]
    public long LibfdtWalkOnly() => Libfdt.WalkOnly(_blob);

    [Benchmark]
    public long GuestStubValidateOnly() => DtbWalk.ValidateOnly(_blob);
}
