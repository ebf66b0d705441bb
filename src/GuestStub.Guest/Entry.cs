using System;
using System.Buffers.Binary;
using System.Runtime;
using GuestStub.Boot;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Text;

namespace GuestStub.Guest;

/// <summary>
/// The C# entry point, called by native/head.S with the MMU and caches on, on the stub's own
/// stack. Validates the DTB before trusting any of it, picks the console and the power-off
/// method from it, prints the banner and what it found, runs the boot sequence (Xen setup,
/// self-test, teardown, report) and powers off.
/// </summary>
internal static unsafe class Entry
{
    /// <summary>A larger totalsize is refused before the blob is read. Linux's MAX_FDT_SIZE is
    /// 2 MiB, but QEMU pads a -dtb blob past that (2117152 bytes seen for virt), so allow 8 MiB.</summary>
    private const uint MaxDtbBytes = 8 * 1024 * 1024;

    /// <summary>void gueststub_main(u64 dtb_phys, u64 entry_el, u64 phys_offset)</summary>
    [RuntimeExport("gueststub_main")]
    private static void Main(ulong dtbPhys, ulong entryEl, ulong physOffset)
    {
        if (!TryOpenDtb(dtbPhys, out Dtb tree, out DtbStatus status, out uint totalSize))
            StopOnBadDtb(dtbPhys, totalSize, status);

        Native.ImageBounds(out ulong imageStart, out ulong imageEnd);
        PhysicalRange.TryFromBounds(imageStart + physOffset, imageEnd + physOffset, out PhysicalRange imageRange);
        PhysicalRange.TryCreate(dtbPhys, (ulong)tree.TotalSize, out PhysicalRange dtbRange);
        status = BootFacts.Read(tree, dtbRange, imageRange, out BootFacts facts);
        if (!status.IsOk)
            StopOnBadDtb(dtbPhys, (uint)tree.TotalSize, status);

        ChooseConsoleAndPowerOff(facts);
        var console = new GuestConsole();
        Banner.Print(ref console, entryEl, dtbRange, imageRange, facts);

        var args = new BootArguments(facts.HasBootargs ? facts.Bootargs : default);
        if (args.TryGetValue("gueststub.selftest"u8, out ReadOnlySpan<byte> selfTest))
            SelfTests.Run(ref console, selfTest);

        // Xen setup, grant-table self-test, teardown and the report (GuestStub.Core Boot/).
        // The clamp: what the CPU can address and the identity map reaches (min(PA bits, 39)).
        var env = BootEnvironment.Create(dtbRange, imageRange, AddressableRange.ForGuest(Native.ReadIdAa64Mmfr0()));
        var xen = new GuestHypervisor();
        var clock = new CounterTicks();
        ulong runs = BootRuns(ref console, args);
        for (ulong run = 1; run <= runs; run++)
        {
            if (runs > 1)
                ReportLine.Decimal(ref console, "boot.run"u8, run);
            BootSequence.Run(ref xen, ref console, facts, env, ref clock);
        }
        Linger.IfAsked(ref console, args, facts.Hypervisor.Found);
        console.Write("GuestStub: powering off\n"u8);
        PowerOff.Now();
    }

    /// <summary>
    /// <c>gueststub.boots=N</c> (1 to 4, default 1): the whole sequence N times in one boot. A run
    /// after the first succeeds only if the previous teardown really undid every mapping: Xen 4.17
    /// answers -EBUSY to a grant frame or shared_info mapped again without remove_from_physmap.
    /// </summary>
    private static ulong BootRuns<TSink>(ref TSink console, BootArguments args) where TSink : struct, ITextSink
    {
        const ulong MaxRuns = 4;
        if (args.TryGetDecimal("gueststub.boots"u8, MaxRuns, out ulong runs, out bool given) && runs >= 1)
            return runs;
        if (given)
            console.Write("GuestStub: gueststub.boots ignored: it takes 1 to 4\n"u8);
        return 1;
    }

    /// <summary>The header is read first, so a bad magic or size is reported before the rest
    /// of the blob is touched.</summary>
    private static bool TryOpenDtb(ulong dtbPhys, out Dtb tree, out DtbStatus status, out uint totalSize)
    {
        tree = default;
        totalSize = 0;
        if (dtbPhys == 0 || (dtbPhys & 7) != 0)
        {
            status = DtbStatus.Fail(DtbError.BadAlignment, 0);
            return false;
        }
        var header = new ReadOnlySpan<byte>((void*)dtbPhys, FdtLayout.HeaderSize);
        totalSize = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(4));
        // Validate the header alone first when totalsize is implausible, so a bad magic is
        // reported as such; a good header with a huge size is refused as BadTotalSize.
        if (totalSize < FdtLayout.HeaderSize || totalSize > MaxDtbBytes)
        {
            status = Dtb.Open(header, out tree);
            if (status.IsOk || status.Error == DtbError.Truncated)
                status = DtbStatus.Fail(DtbError.BadTotalSize, 4);
            return false;
        }
        status = Dtb.Open(new ReadOnlySpan<byte>((void*)dtbPhys, (int)totalSize), out tree);
        return status.IsOk;
    }

    private static void StopOnBadDtb(ulong dtbPhys, uint totalSize, DtbStatus status)
    {
        // The DTB names the console; without a valid one, use QEMU virt's UART (documented).
        var console = new GuestConsole();
        GuestConsole.Kind = ConsoleKind.Pl011;
        GuestConsole.Pl011Base = GuestConsole.FallbackPl011Base;
        console.Write("GuestStub: error: invalid DTB at "u8);
        TextFormat.Hex(ref console, dtbPhys);
        console.Write(": "u8);
        console.Write(DtbErrorText.Describe(status.Error));
        console.Write(" at offset "u8);
        TextFormat.Decimal(ref console, (ulong)status.Offset);
        console.Write(" (totalsize "u8);
        TextFormat.Decimal(ref console, totalSize);
        console.Write(")\n"u8);
        ReportLine.Write(ref console, "status"u8, "error invalid-dtb"u8);
        console.Write("GuestStub: powering off\n"u8);
        PowerOff.Now();
    }

    /// <summary>Xen when the DTB has a hypervisor node (dom0 and domUs get their console and
    /// shutdown from Xen); otherwise the PL011 named by stdout-path and PSCI by /psci method.</summary>
    private static void ChooseConsoleAndPowerOff(in BootFacts facts)
    {
        if (facts.Hypervisor.Found)
        {
            GuestConsole.Kind = ConsoleKind.Xen;
            PowerOff.Choose(PowerOffMethod.XenShutdown);
            return;
        }

        if (facts.Console.Found && facts.Console.HasBaseAddress && facts.Console.Compatible.SequenceEqual("arm,pl011"u8))
        {
            GuestConsole.Kind = ConsoleKind.Pl011;
            GuestConsole.Pl011Base = facts.Console.BaseAddress;
        }
        else
        {
            GuestConsole.Kind = ConsoleKind.Pl011;
            GuestConsole.Pl011Base = GuestConsole.FallbackPl011Base;
        }
        PowerOff.Choose(facts.Psci switch
        {
            PsciConduit.Hvc => PowerOffMethod.PsciHvc,
            PsciConduit.Smc => PowerOffMethod.PsciSmc,
            _ => PowerOffMethod.Unknown,
        });
    }
}
