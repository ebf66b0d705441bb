using System;
using System.Runtime;
using GuestStub.Guest;
using GuestStub.Memory;
using GuestStub.Platform;

namespace GuestStub.GuestTests;

/// <summary>
/// The test image's C# entry point, called by the product's native/head.S exactly as the
/// product's Entry is (MMU and caches on, on the stub's stack): the DTB through Core's front end,
/// the console and power-off chosen from it as the product does, the product's banner, then every
/// embedded test vector (<see cref="VectorRun"/>), the benchmarks when <c>guest-tests.bench</c> is
/// given (<see cref="GuestBench"/>), and power-off.
/// Boot arguments (QEMU -append bare, the guest-loader's bootargs under Xen):
/// <list type="bullet">
/// <item><c>guest-tests.extra=0xADDRESS</c>: also run the vector file loaded at that guest-physical
/// address (a test loads a deliberately wrong one there with QEMU's loader device).</item>
/// <item><c>guest-tests.bench</c>: run the benchmarks after the vectors.</item>
/// <item><c>guest-tests.bench=map</c> (dom0), <c>=map-scale</c> (dom0, the whole-domain pass
/// only), <c>=map-peer</c> (the domU): the mapping benchmark (<see cref="MapBench"/>,
/// <see cref="MapPeer"/>) instead of the vectors.</item>
/// </list>
/// </summary>
internal static unsafe class TestEntry
{
    /// <summary>void gueststub_main(u64 dtb_phys, u64 entry_el, u64 phys_offset)</summary>
    [RuntimeExport("gueststub_main")]
    private static void Main(ulong dtbPhys, ulong entryEl, ulong physOffset)
    {
        Native.ImageBounds(out ulong imageStart, out ulong imageEnd);
        PhysicalRange.TryFromBounds(imageStart + physOffset, imageEnd + physOffset, out PhysicalRange image);
        HandedDtb.OpenOrPowerOff(dtbPhys, image, out BootDtb dtb);

        GuestConsole.Choose(dtb.Facts);
        PowerOff.Choose(dtb.Facts);
        var console = new GuestConsole();
        Banner.Print(ref console, entryEl, dtb.Range, image, dtb.Facts);
        var arguments = new BootArguments(dtb.Facts.HasBootargs ? dtb.Facts.Bootargs : default);
        if (arguments.TryGetValue("guest-tests.bench"u8, out ReadOnlySpan<byte> bench))
        {
            // The mapping benchmark measures Xen and the peer; the vectors are another boot's work.
            console.Write("guest-tests: vectors not run (guest-tests.bench="u8);
            console.Write(bench);
            console.Write(")\n"u8);
            if (bench.SequenceEqual("map"u8))
                MapBench.Run(ref console, dtb, MapBenchMode.All);
            else if (bench.SequenceEqual("map-scale"u8))
                MapBench.Run(ref console, dtb, MapBenchMode.WholeDomain);
            else if (bench.SequenceEqual("map-peer"u8))
                MapPeer.Run(ref console, dtb);
            else
                console.Write("guest-bench: FAIL guest-tests.bench takes map, map-scale or map-peer\n"u8);
        }
        else
        {
            VectorRun.All(ref console, arguments, dtb.Facts);
            if (arguments.HasFlag("guest-tests.bench"u8))
                GuestBench.Run(ref console);
        }
        console.Write("guest-tests: powering off\n"u8);
        PowerOff.Now();
    }
}
