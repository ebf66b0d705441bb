using System;
using GuestStub.DeviceTree;

namespace GuestStub.GuestTests;

/// <summary>
/// GuestStub's side of the device-tree benchmark, in the guest and on the host (the host's
/// tests/GuestStub.Benchmarks compiles this file too): Dtb.Open (the whole validation), then every
/// node's name and every property's name and value, with the same checksum as fdt_walk.c computes.
/// </summary>
internal static class DtbWalk
{
    internal static long OpenAndWalk(ReadOnlySpan<byte> blob)
    {
        DtbStatus status = Dtb.Open(blob, out Dtb tree);
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

    /// <summary>The validation alone (DtbValidator.Validate, what Dtb.Open runs).</summary>
    internal static long ValidateOnly(ReadOnlySpan<byte> blob) => (long)DtbValidator.Validate(blob, out _).Error;
}
