using System;
using System.Collections.Generic;
using System.Text;
using GuestStub.Boot;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Xen;

namespace GuestStub.Simulation;

/// <summary>
/// Runs the stub's boot (Core's front end, then its boot session with the report) for a DTB
/// against a <see cref="SimulatedXen"/>, as the guest runs it against the real one: the DTB's
/// boot facts, its RAM banks as the model's RAM, optional bootargs replacing /chosen's, the
/// machine's counter (<see cref="MachineTicks"/>) as the clock. Several domains at once run
/// through <see cref="SimulatedMachine.Run"/>.
/// </summary>
public static class SimulatedBoot
{
    /// <summary>Thrown for a DTB the stub would refuse; the message is the guest's wording.</summary>
    public sealed class InvalidDtbException(string message, DtbStatus? status = null) : Exception(message)
    {
        /// <summary>The reader's cause and byte offset, when the DTB failed validation.</summary>
        public DtbStatus? Status { get; } = status;
    }

    /// <param name="configure">Builds the model's options from the DTB's RAM banks.</param>
    /// <param name="prepare">Called with the model before the boot (fault injection).</param>
    /// <param name="place">Where the guest would find the DTB and its image, and its clamp
    /// (default: neither placed, clamp 2^39 as the guest on QEMU virt's cortex-a57).</param>
    public static SimulatedBootResult Run(byte[] dtb, string? bootargs, Func<IReadOnlyList<PhysicalRange>, SimulatedXenOptions> configure,
        Action<SimulatedXen>? prepare = null, GuestPlacement? place = null)
    {
        using var xen = CreateModel(dtb, configure);
        prepare?.Invoke(xen);
        return Run(xen, dtb, bootargs, place);
    }

    /// <summary>A model whose RAM is the DTB's memory banks and whose upcall is the PPI the
    /// tree's hypervisor node names (real Xen raises it on the PPI it wrote there), unless
    /// <paramref name="configure"/> chose one.</summary>
    public static SimulatedXen CreateModel(byte[] dtb, Func<IReadOnlyList<PhysicalRange>, SimulatedXenOptions> configure)
    {
        SimulatedXenOptions options = configure(ReadRam(dtb));
        uint? ppi = ReadUpcallIntId(dtb);
        return new SimulatedXen(options.UpcallIntId is null && ppi is not null ? options.WithUpcallIntId(ppi) : options);
    }

    /// <summary>The GIC interrupt id of the hypervisor node's event-channel interrupt, when the
    /// tree has one the stub can resolve to a PPI.</summary>
    public static uint? ReadUpcallIntId(byte[] dtb)
    {
        BootDtb boot = Open(dtb, new GuestPlacement(), false, default);
        return boot.Facts.Hypervisor.HasEventChannelInterrupt && boot.Facts.Hypervisor.EventChannelInterrupt.TryGetGicIntId(out uint intId) &&
            intId is >= 16 and < 32 ? intId : null;
    }

    /// <summary>Boots against an existing model, on the calling thread, as the only domain
    /// running (once more: re-initialisation after teardown). No power-off at the end, so the
    /// same model can boot again.</summary>
    public static SimulatedBootResult Run(SimulatedXen xen, byte[] dtb, string? bootargs, GuestPlacement? place = null)
    {
        place ??= new GuestPlacement();
        BootDtb boot = Open(dtb, place, bootargs);
        var output = new StringBuilder();
        MachineClock clock = xen.Clock;
        clock.Enter(xen);
        BootResult result;
        try
        {
            clock.Begin(xen, (xen.Machine?.Options ?? new SimulatedMachineOptions()).WallClockBound);
            Session(xen, boot, place, output, out result);
        }
        finally
        {
            clock.Leave(xen);
        }
        return new SimulatedBootResult
        {
            Domid = xen.Options.DomainId, Output = output.ToString(), Result = result, BooksProblems = xen.CheckBooks(),
        };
    }

    /// <summary>Core's front end for <paramref name="dtb"/>, bootargs replaced when given.</summary>
    internal static BootDtb Open(byte[] dtb, GuestPlacement place, string? bootargs)
    {
        byte[] args = bootargs is null ? Array.Empty<byte>() : Encoding.ASCII.GetBytes(bootargs);
        return Open(dtb, place, bootargs is not null, args);
    }

    /// <summary>The boot session (<see cref="BootSession.Run"/>) with the report written into
    /// <paramref name="output"/> as it goes, so a domain the machine stops mid-way keeps what it printed.</summary>
    internal static void Session(SimulatedXen xen, in BootDtb boot, GuestPlacement place, StringBuilder output, out BootResult result)
    {
        var platform = new SimulatedGuestPlatform(xen);
        var report = new BootReport<TextCapture>(new TextCapture(output));
        BootSession.Run(ref platform, ref report, boot, AddressableRange.BelowLimit(place.AddressableLimit), out result);
    }

    /// <summary>The guest's last step (Entry, PowerOff.Now): SCHEDOP_shutdown(poweroff) under Xen;
    /// when that fails, or without a hypervisor node, PSCI SYSTEM_OFF, which Xen's vPSCI turns
    /// into the same domain shutdown.</summary>
    internal static void PowerOff(SimulatedXen xen, in BootDtb boot)
    {
        var hypercalls = new SimulatedHypercalls(xen);
        if (!boot.Facts.Hypervisor.Found || SchedOp.PowerOff(ref hypercalls).IsFailure)
            xen.PsciSystemOff();
    }

    /// <summary>The RAM banks of <paramref name="dtb"/>, as the front end reads them.</summary>
    public static IReadOnlyList<PhysicalRange> ReadRam(byte[] dtb)
    {
        BootDtb boot = Open(dtb, new GuestPlacement(), false, default);
        var ram = new List<PhysicalRange>();
        for (int i = 0; i < boot.Facts.Memory.Count; i++)
            ram.Add(boot.Facts.Memory[i]);
        return ram;
    }

    /// <summary>Core's front end over <paramref name="dtb"/>, placed as <paramref name="place"/> says.</summary>
    public static BootDtb Open(byte[] dtb, GuestPlacement place, bool replaceBootargs, ReadOnlySpan<byte> bootargs)
    {
        var placement = new DtbPlacement(place.DtbAddress.HasValue, place.DtbAddress ?? 0, place.Image ?? default,
            replaceBootargs, bootargs);
        DtbStatus status = BootDtb.Open(dtb, placement, out BootDtb boot);
        if (!status.IsOk)
            throw new InvalidDtbException(HostText.Dtb(status), status);
        return boot;
    }
}
