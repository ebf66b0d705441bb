using System;
using BenchmarkDotNet.Attributes;
using GuestStub.DeviceTree;

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
        long ours = GuestStubWalk();
        long theirs = Libfdt.Walk(_blob);
        if (ours != theirs)
            throw new InvalidOperationException($"checksums differ: GuestStub {ours}, libfdt {theirs}");
    }

    [Benchmark(Baseline = true)]
    public long LibfdtCheckFullAndWalk() => Libfdt.Walk(_blob);

    [Benchmark]
    public long GuestStubOpenAndWalk() => GuestStubWalk();

    // The two halves, to show where the time goes. libfdt's walk alone is unchecked (it trusts
    // the blob); GuestStub cannot walk without validating, so its walk is the difference.

    [Benchmark]
    public long LibfdtCheckFullOnly() => Libfdt.Check(_blob);

    [Benchmark]
    public long LibfdtWalkOnly() => Libfdt.WalkOnly(_blob);

    [Benchmark]
    public long GuestStubValidateOnly() => (long)DtbValidator.Validate(_blob, out _).Error;

    private long GuestStubWalk()
    {
        DtbStatus status = Dtb.Open(_blob, out Dtb tree);
        if (!status.IsOk)
            return -(long)status.Error;
        long sum = 0;
        DtNode node = tree.Root;
        int depth = 0;
        do
        {
            sum += tree.NameOf(node).Length + 1;
            for (bool more = tree.TryGetFirstProperty(node, out DtProperty p); more; more = tree.TryGetNextProperty(p, out p))
                sum += tree.PropertyValue(p).Length + (tree.PropertyName(p).IsEmpty ? 0 : 1);
        }
        while (tree.TryGetNextNode(node, ref depth, out node));
        return sum;
    }
}
