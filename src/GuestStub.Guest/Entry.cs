using System;
using System.Runtime;
using GuestStub.Boot;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>
/// The C# entry point, called by native/head.S with the MMU and caches on, on the stub's own
/// stack. Hands the DTB to Core's front end (<see cref="BootDtb"/>: header first, size cap,
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
        DtbStatus status = OpenDtb(dtbPhys, imageRange, out BootDtb dtb, out uint totalSize);
        if (!status.IsOk)
            StopOnBadDtb(dtbPhys, totalSize, status);

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
        var hypercalls = new GuestHypercalls();
        var memory = new GuestMemory();
        var interrupts = new Gic();
        var clock = new CounterTicks();
        var report = new BootReport<GuestConsole>(console);
        BootSession.Run(ref hypercalls, ref memory, ref interrupts, ref clock, ref Upcall.Events, ref report, dtb, addressable, out _);
        console.Write("GuestStub: powering off\n"u8);
        PowerOff.Now();
    }

    /// <summary>
    /// The blob at <paramref name="dtbPhys"/> through Core's front end: its header alone first,
    /// so a bad magic or an implausible size is reported before the rest of the blob is touched,
    /// then the whole of it.
    /// </summary>
    private static DtbStatus OpenDtb(ulong dtbPhys, PhysicalRange image, out BootDtb dtb, out uint totalSize)
    {
        dtb = default;
        totalSize = 0;
        // x0 must be a real, 8-byte aligned address before even the header is read.
        if (dtbPhys == 0 || (dtbPhys & 7) != 0)
            return DtbStatus.Fail(DtbError.BadAlignment, 0);
        DtbStatus status = BootDtb.CheckHeader(new ReadOnlySpan<byte>((void*)dtbPhys, FdtLayout.HeaderSize), out totalSize);
        if (!status.IsOk)
            return status;
        return BootDtb.Open(new ReadOnlySpan<byte>((void*)dtbPhys, (int)totalSize), DtbPlacement.InGuest(dtbPhys, image), out dtb);
    }

    private static void StopOnBadDtb(ulong dtbPhys, uint totalSize, DtbStatus status)
    {
        // The DTB names the console; without a valid one, use QEMU virt's UART (documented).
        GuestConsole.UseFallbackUart();
        var console = new GuestConsole();
        console.Write("GuestStub: error: invalid DTB at "u8);
        TextFormat.Hex(ref console, dtbPhys);
        console.Write(": "u8);
        DtbErrorText.Write(ref console, status);
        console.Write(" (totalsize "u8);
        TextFormat.Decimal(ref console, totalSize);
        console.Write(")\n"u8);
        ReportLine.Write(ref console, "status"u8, "error invalid-dtb"u8);
        console.Write("GuestStub: powering off\n"u8);
        PowerOff.Now();
    }
}
