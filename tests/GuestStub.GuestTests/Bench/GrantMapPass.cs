using System;
using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.GuestTests;

/// <summary>
/// Grant maps of another domain's granted pages into a run of scratch pages with
/// GNTTABOP_map_grant_ref, a batch of operations per call, and their unmaps with
/// GNTTABOP_unmap_grant_ref, as Linux's gntdev does (gnttab_map_refs / gnttab_unmap_refs). Per
/// page the stub fills one operation (host_addr, GNTMAP_host_map, ref, domain: Linux's
/// gnttab_set_map_op) and reads its status and handle back; the unmap operation is filled from
/// the map's. Generic over the transport, as <see cref="ForeignMapPass"/>.
/// </summary>
internal static unsafe class GrantMapPass
{
    /// <summary>Maps refs <paramref name="firstRef"/>.. of <paramref name="domid"/> at
    /// <paramref name="runGfn"/> + i, <paramref name="batch"/> per call; each operation keeps its
    /// status and handle for <see cref="Unmap"/>.</summary>
    public static void Map<THc>(ref THc hc, ushort domid, uint firstRef, GnttabMapGrantRef* ops, ulong runGfn, int pages, int batch,
        ref PassResult result) where THc : struct, IXenHypercalls
    {
        result.Split = TimedHypercalls.Split.Start();
        for (int done = 0; done < pages;)
        {
            int n = Math.Min(batch, pages - done);
            for (int i = done; i < done + n; i++)
            {
                ops[i] = default;
                ops[i].HostAddr = (runGfn + (ulong)i) << PageSize.Shift;
                ops[i].Flags = GnttabMapGrantRef.GntmapHostMap;
                ops[i].Ref = firstRef + (uint)i;
                ops[i].Dom = domid;
            }
            XenFailure f = GrantTable.MapGrantRefs(ref hc, new Span<GnttabMapGrantRef>(ops + done, n), out _);
            bool wholeCall = f.Cause == XenFailureCause.Errno;
            for (int i = done; i < done + n; i++)
            {
                // A call refused whole mapped nothing, whatever the statuses say.
                if (wholeCall)
                    ops[i].Status = GrantStatus.GeneralError;
                if (ops[i].Status == GrantStatus.Okay)
                    result.Done++;
                else
                    result.Refuse(wholeCall ? f : XenFailure.FromGrantStatus(XenCall.GnttabMapGrantRef, ops[i].Status).WithIndex(ops[i].Ref).WithDom(domid));
            }
            done += n;
        }
        result.Split.Stop();
    }

    /// <summary>Unmaps every page <see cref="Map"/> mapped, <paramref name="batch"/> operations per
    /// call, each filled from its map's host address and handle.</summary>
    public static void Unmap<THc>(ref THc hc, GnttabMapGrantRef* mapped, GnttabUnmapGrantRef* ops, int pages, int batch, ref PassResult result)
        where THc : struct, IXenHypercalls
    {
        result.Split = TimedHypercalls.Split.Start();
        for (int done = 0; done < pages;)
        {
            int n = Math.Min(batch, pages - done);
            int k = 0;
            for (int i = done; i < done + n; i++)
            {
                if (mapped[i].Status != GrantStatus.Okay)
                    continue;
                ops[k] = default;
                ops[k].HostAddr = mapped[i].HostAddr;
                ops[k].Handle = mapped[i].Handle;
                k++;
            }
            XenFailure f = GrantTable.UnmapGrantRefs(ref hc, new Span<GnttabUnmapGrantRef>(ops, k), out _);
            bool wholeCall = f.Cause == XenFailureCause.Errno;
            for (int i = 0; i < k; i++)
            {
                if (!wholeCall && ops[i].Status == GrantStatus.Okay)
                    result.Done++;
                else
                    result.Refuse(wholeCall ? f
                        : XenFailure.FromGrantStatus(XenCall.GnttabUnmapGrantRef, ops[i].Status).WithGfn(ops[i].HostAddr >> PageSize.Shift));
            }
            done += n;
        }
        result.Split.Stop();
    }
}
