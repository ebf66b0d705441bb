using System.Collections.Generic;
using GuestStub.Launch.Machine;

namespace GuestStub.Launch.Running;

/// <summary>
/// A boot's shape in one word, as the JUnit report and the release table name it:
/// <c>dom0-gicv3</c>, <c>dom0+2domU-gicv3</c>, <c>2domU-gicv3</c> (no dom0), <c>bare-gicv3</c>,
/// <c>-uboot</c> when U-Boot loaded it, then only what differs from
/// <c>gueststub run</c>'s defaults (<c>-2cpus</c>, <c>-4G</c>, <c>-dom0_mem512M</c>,
/// <c>-plain</c>, <c>-static-evtchn</c>, <c>-static-shm</c>, <c>-static-mem</c>, <c>-icount</c>, <c>-tests</c>). Letters, digits and
/// <c>+-_.</c> only: it sits between slashes in a test name.
/// </summary>
public static class ShapeName
{
    public static string Of(BootShape shape)
    {
        var parts = new List<string>();
        if (shape.Bare)
            parts.Add(shape.El2 ? "bare-el2" : "bare");
        else
            parts.Add(shape.DomUs == 0 ? "dom0" : shape.NoDom0 ? $"{shape.DomUs}domU" : $"dom0+{shape.DomUs}domU");
        parts.Add($"gicv{(int)shape.Gic}");
        if (shape.UBoot)
            parts.Add("uboot");
        var defaults = new BootShape();
        if (shape.Cpus != defaults.Cpus)
            parts.Add($"{shape.Cpus}cpus");
        if (shape.Memory != defaults.Memory)
            parts.Add(shape.Memory.ToString());
        if (!shape.Bare && shape.Dom0Memory != defaults.Dom0Memory)
            parts.Add("dom0_mem" + shape.Dom0Memory);
        if (shape.PlainDomUs)
            parts.Add("plain");
        if (shape.StaticEventChannels)
            parts.Add("static-evtchn");
        if (shape.StaticSharedMemory)
            parts.Add(shape.StaticSharedMemoryXenAddress ? "static-shm-xen-address" : "static-shm");
        if (shape.StaticMemory)
            parts.Add(shape.DirectMap ? "static-mem-direct-map" : "static-mem");
        if (shape.Icount)
            parts.Add("icount");
        if (shape.Tests)
            parts.Add("tests");
        return string.Join("-", parts);
    }
}
