using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>
/// The DTB native/head.S hands over in x0, through Core's front end (<see cref="BootDtb"/>): its
/// header alone first, so a bad magic or an implausible size is reported before the rest of the
/// blob is touched, then the whole of it. A blob that fails is reported on QEMU virt's UART and
/// the guest powers off. Shared by the product's entry and the test image's (whose lines here
/// are the product's, as its banner is).
/// </summary>
internal static unsafe class HandedDtb
{
    /// <summary>Opens the DTB into <paramref name="dtb"/>; does not return when it is invalid.</summary>
    internal static void OpenOrPowerOff(ulong dtbPhys, PhysicalRange image, out BootDtb dtb)
    {
        DtbStatus status = Open(dtbPhys, image, out dtb, out uint totalSize);
        if (!status.IsOk)
            StopOnBadDtb(dtbPhys, totalSize, status);
    }

    private static DtbStatus Open(ulong dtbPhys, PhysicalRange image, out BootDtb dtb, out uint totalSize)
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
