using System;
using GuestStub.Xen;

namespace GuestStub.GuestTests;

/// <summary>What one pass of foreign maps or unmaps did: pages done and refused, the first
/// refusal, and its counter ticks split at each hvc.</summary>
internal struct PassResult
{
    public ulong Done;
    public ulong Refused;
    public XenFailure FirstRefusal;
    public TimedHypercalls.Split Split;

    public void Refuse(in XenFailure f)
    {
        Refused++;
        FirstRefusal = FirstRefusal.Or(f);
    }
}

/// <summary>
/// Foreign maps of another domain's RAM frames into a run of scratch pages, as privcmd does
/// (Linux drivers/xen/privcmd.c, xlate_mmu.c), in batches of a given size, and their unmaps.
/// Per page the stub does what Linux's remap_pte_fn/setup_hparams does around the hypercall:
/// writes the target gfn and a cleared errs entry, then reads the entry back; per batch, one
/// XENMEM_add_to_physmap_batch (<see cref="ForeignMemory.MapBatch"/>). The unmap is Linux's
/// xen_xlate_unmap_gfn_range: one XENMEM_remove_from_physmap per page mapped. Generic over the
/// transport, so the same code runs timed (<see cref="TimedHypercalls"/>) and without Xen
/// (<see cref="NullHypercalls"/>).
/// </summary>
internal static unsafe class ForeignMapPass
{
    /// <summary>Maps frames <paramref name="idxs"/>[0..pages) of <paramref name="domid"/> at
    /// <paramref name="runGfn"/> + i, <paramref name="batch"/> frames per call; errs[i] is 0 for a
    /// page that mapped (else Xen's errno, or the call's).</summary>
    public static void Map<THc>(ref THc hc, ushort domid, ulong* idxs, ulong* gpfns, int* errs, ulong runGfn, int pages, int batch,
        ref PassResult result) where THc : struct, IXenHypercalls
    {
        result.Split = TimedHypercalls.Split.Start();
        for (int done = 0; done < pages;)
        {
            int n = Math.Min(batch, pages - done);
            for (int i = done; i < done + n; i++)
            {
                gpfns[i] = runGfn + (ulong)i;
                errs[i] = 0;
            }
            XenFailure f = ForeignMemory.MapBatch(ref hc, domid, new ReadOnlySpan<ulong>(idxs + done, n),
                new ReadOnlySpan<ulong>(gpfns + done, n), new Span<int>(errs + done, n));
            for (int i = done; i < done + n; i++)
            {
                // A call refused whole mapped nothing, whatever its errs say.
                if (f.IsFailure)
                    errs[i] = f.Value;
                if (errs[i] == 0)
                    result.Done++;
                else
                    result.Refuse(f.IsFailure ? f : XenFailure.FromResult(XenCall.AddToPhysmapBatchForeign, errs[i]).WithDom(domid).WithGfn(idxs[i]));
            }
            done += n;
        }
        result.Split.Stop();
    }

    /// <summary>XENMEM_remove_from_physmap of every page <see cref="Map"/> mapped (errs[i] 0);
    /// the entry of each page unmapped becomes -1, so a second pass does nothing.</summary>
    public static void Unmap<THc>(ref THc hc, ulong* gpfns, int* errs, int pages, ref PassResult result) where THc : struct, IXenHypercalls
    {
        result.Split = TimedHypercalls.Split.Start();
        for (int i = 0; i < pages; i++)
        {
            if (errs[i] != 0)
                continue;
            XenFailure f = XenMemory.RemoveFromPhysmap(ref hc, gpfns[i]);
            if (f.IsFailure)
            {
                result.Refuse(f);
                continue;
            }
            errs[i] = -1;
            result.Done++;
        }
        result.Split.Stop();
    }
}
