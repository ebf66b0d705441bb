using System.Runtime;
using GuestStub.Boot;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;

namespace GuestStub.Guest;

/// <summary>
/// The C# entry point, called by native/head.S with the MMU and caches on, on the stub's own
/// stack. Hands the DTB to Core's front end (<see cref="HandedDtb"/>: header first, size cap,
/// whole validation, boot facts, boot arguments), picks the console and the power-off method
/// from what it found, prints the banner, runs the boot pipeline (Xen setup, extended regions,
/// scratch pool, self-tests, teardown) with the report written as it goes, and powers off.
/// </summary>
internal static unsafe class Entry
{
    /// <summary>void gueststub_main(u64 dtb_phys, u64 entry_el, u64 phys_offset)</summary>
    [RuntimeExport("gueststub_main")]
    private static void Main(ulong dtbPhys, ulong entryEl, ulong physOffset)
    {
        Native.ImageBounds(out ulong imageStart, out ulong imageEnd);
        PhysicalRange.TryFromBounds(imageStart + physOffset, imageEnd + physOffset, out PhysicalRange imageRange);
        HandedDtb.OpenOrPowerOff(dtbPhys, imageRange, out BootDtb dtb);

        GuestConsole.Choose(dtb.Facts);
        PowerOff.Choose(dtb.Facts);
        Gic.Choose(dtb.Facts.InterruptController);
        var console = new GuestConsole();
        Banner.Print(ref console, entryEl, dtb.Range, imageRange, dtb.Facts);
        if (!dtb.Options.SelfTest.IsEmpty)
            SelfTests.Run(ref console, dtb.Options.SelfTest);
        if (dtb.Options.BadBoots)
            console.Write("GuestStub: gueststub.boots ignored: it takes 1 to 4\n"u8);

        // The clamp: what the CPU can address and the identity map reaches (min(PA bits, 39)).
        PhysicalRange addressable = AddressableRange.ForGuest(Native.ReadIdAa64Mmfr0());
        var platform = new GuestPlatform();
        var report = new BootReport<GuestConsole>(console);
        BootSession.Run(ref platform, ref report, dtb, addressable, out _);
        console.Write("GuestStub: powering off\n"u8);
        PowerOff.Now();
    }
}
