using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Peers;
using GuestStub.Platform;
using GuestStub.Text;

namespace GuestStub.Report;

/// <summary>
/// Static shared memory and static memory (issue 22). After Xen setup: <c>shm.region</c> per
/// region (range and xen,id) and the checks <c>static-shm.region</c> (Xen described the regions
/// as booting.txt says, and none lies over the GIC's emulated registers), <c>static-shm.ext-regions</c> (no extended region overlaps one: Xen
/// removes them, remove_shm_from_rangeset) and <c>static-mem.banks</c> (the memory banks, the
/// regions' own left out, are those <c>gueststub.expect-mem=</c> states). After the exchange:
/// <c>shm.exchange</c> and <c>static-shm.exchange</c>.
/// </summary>
public static class SharedMemoryReport
{
    public static void Found<TSink>(ref TSink sink, ref CheckVerdicts checks, in BootFacts facts, in BootOptions options)
        where TSink : struct, ITextSink
    {
        ref readonly SharedMemoryFacts regions = ref facts.SharedMemory;
        for (int i = 0; i < regions.Count; i++)
        {
            ReportLine.Begin(ref sink, "shm.region"u8);
            TextFormat.Range(ref sink, regions.Range(i));
            sink.Write(" "u8);
            sink.Write(regions.Id(i));
            sink.Write("\n"u8);
        }

        if (!regions.Problem.IsOk)
            checks.Write(ref sink, Check.StaticShmRegion, Verdict.Failure, Reason.ShmNodeUnusable, DtbErrorText.Describe(regions.Problem.Error));
        // The GIC's second frame (GICv3: the redistributor region, 16 MiB for a domU at
        // GUEST_GICV3_GICR0_BASE 0x03020000) is emulated MMIO: a region over it is not memory there.
        PhysicalRange.TryCreate(facts.InterruptController.SecondBase, facts.InterruptController.SecondSize, out PhysicalRange gic);
        Overlap(ref sink, ref checks, regions, Check.StaticShmRegion, Reason.ShmOverGic, gic);
        if (regions.Count == 0)
        {
            Absent(ref sink, ref checks, options, Check.StaticShmRegion, Reason.NoStaticShm);
            Absent(ref sink, ref checks, options, Check.StaticShmExtRegions, Reason.NoStaticShm);
            Absent(ref sink, ref checks, options, Check.StaticShmExchange, Reason.NoStaticShm);
        }
        checks.Write(ref sink, Check.StaticShmRegion, Verdict.Success);

        // With no extended region there is nothing to compare: a SKIP, not a SUCCESS.
        if (facts.Hypervisor.Regions.Count <= 1)
            checks.Write(ref sink, Check.StaticShmExtRegions, Verdict.Skip, Reason.NoExtendedRegion);
        // Regions 1..N of the hypervisor node, as Xen wrote them (the registration judges the rest).
        for (int i = 1; i < facts.Hypervisor.Regions.Count; i++)
        {
            facts.Hypervisor.Regions.Get(i, out ulong start, out ulong size);
            if (!PhysicalRange.TryCreate(start, size, out PhysicalRange ext))
                continue;
            Overlap(ref sink, ref checks, regions, Check.StaticShmExtRegions, Reason.ExtRegionOverlapsShm, ext);
        }
        checks.Write(ref sink, Check.StaticShmExtRegions, Verdict.Success);

        Banks(ref sink, ref checks, facts, options);
    }

    /// <summary>The memory banks, static shared memory left out, against gueststub.expect-mem=, in order.</summary>
    private static void Banks<TSink>(ref TSink sink, ref CheckVerdicts checks, in BootFacts facts, in BootOptions options)
        where TSink : struct, ITextSink
    {
        if (!options.HasExpectedMemory)
        {
            Absent(ref sink, ref checks, options, Check.StaticMemBanks, Reason.NoExpectedMemory);
            return;
        }
        int position = 0;
        bool malformed;
        PhysicalRange want;
        for (int i = 0; i < facts.Memory.Count; i++)
        {
            PhysicalRange found = facts.Memory[i];
            if (facts.SharedMemory.IsRegion(found))
                continue;
            bool more = BootArguments.NextRange(options.ExpectedMemory, ref position, out want, out malformed);
            if (malformed)
                break;
            if (!more || want.Start != found.Start || want.SizeBytes != found.SizeBytes)
            {
                Differ(ref sink, ref checks, found, want);
                return;
            }
        }
        if (BootArguments.NextRange(options.ExpectedMemory, ref position, out want, out malformed))
            Differ(ref sink, ref checks, default, want);
        if (malformed)
            checks.Write(ref sink, Check.StaticMemBanks, Verdict.Error, Reason.ExpectedMemoryMalformed);
        checks.Write(ref sink, Check.StaticMemBanks, Verdict.Success);
    }

    /// <summary>"... FAILURE ID 0xSTART-0xEND PHRASE 0xSTART-0xEND" for the first region over
    /// <paramref name="other"/>.</summary>
    private static void Overlap<TSink>(ref TSink sink, ref CheckVerdicts checks, in SharedMemoryFacts regions, Check check, Reason reason,
        PhysicalRange other) where TSink : struct, ITextSink
    {
        int j = regions.FirstOverlapping(other);
        if (j < 0 || !checks.Begin(ref sink, check, Verdict.Failure))
            return;
        sink.Write(" "u8);
        sink.Write(regions.Id(j));
        sink.Write(" "u8);
        TextFormat.Range(ref sink, regions.Range(j));
        sink.Write(" "u8);
        sink.Write(ReasonText.Phrase(reason));
        sink.Write(" "u8);
        TextFormat.Range(ref sink, other);
        sink.Write("\n"u8);
    }

    /// <summary>A check whose configuration this domain does not have: SKIP when
    /// gueststub.checks= named it, else no line (it does not apply, <see cref="CheckSelection.Named"/>).</summary>
    private static void Absent<TSink>(ref TSink sink, ref CheckVerdicts checks, in BootOptions options, Check check, Reason reason)
        where TSink : struct, ITextSink
    {
        if (options.Checks.Named(check))
            checks.Write(ref sink, check, Verdict.Skip, reason);
        else
            checks.Omit(check);
    }

    /// <summary>"... FAILURE the memory banks differ ...: found 0x..-0x.. (or none), expected 0x..-0x.. (or none)".</summary>
    private static void Differ<TSink>(ref TSink sink, ref CheckVerdicts checks, PhysicalRange found, PhysicalRange want)
        where TSink : struct, ITextSink
    {
        if (!checks.Begin(ref sink, Check.StaticMemBanks, Verdict.Failure))
            return;
        sink.Write(" "u8);
        sink.Write(ReasonText.Phrase(Reason.BanksDiffer));
        sink.Write(" found "u8);
        Bank(ref sink, found);
        sink.Write(", expected "u8);
        Bank(ref sink, want);
        sink.Write("\n"u8);
    }

    private static void Bank<TSink>(ref TSink sink, PhysicalRange bank) where TSink : struct, ITextSink
    {
        if (bank.IsEmpty)
            sink.Write("none"u8);
        else
            TextFormat.Range(ref sink, bank);
    }

    public static void Exchanged<TSink>(ref TSink sink, ref CheckVerdicts checks, in SharedMemoryResult result)
        where TSink : struct, ITextSink
    {
        if (result.NoPeer)
        {
            ReportLine.Write(ref sink, "shm.exchange"u8, "skipped (no static channel to another domU)"u8);
            checks.Write(ref sink, Check.StaticShmExchange, Verdict.Skip, Reason.NoShmPeer);
            return;
        }
        sink.Write("GuestStub: static shared memory: "u8);
        sink.Write(result.Initiator ? "request to"u8 : "answer to"u8);
        sink.Write(" domain "u8);
        TextFormat.Decimal(ref sink, result.Peer);
        sink.Write(" over port "u8);
        TextFormat.Decimal(ref sink, result.Port);
        sink.Write(": "u8);
        ReportLine.Result(ref sink, result.Failure);
        sink.Write("\n"u8);
        ReportLine.Outcome(ref sink, "shm.exchange"u8, result.Failure);
        checks.Outcome(ref sink, Check.StaticShmExchange, result.Failure);
    }
}
