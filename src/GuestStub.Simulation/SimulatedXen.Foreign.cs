using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// Foreign mappings (Xen 4.17 and later, the differences in SimulatedXenRelease): XENMEM_add_to_physmap_batch with XENMAPSPACE_gmfn_foreign
// (common/memory.c xenmem_add_to_physmap_batch, arch/arm/mm.c xenmem_add_to_physmap_one) and
// XENMEM_acquire_resource of a grant table (common/memory.c acquire_resource,
// common/grant_table.c gnttab_acquire_resource, arch/arm/p2m.c set_foreign_p2m_entry). The
// page mapped is the other domain's: writes through the mapping are its writes.
public sealed unsafe partial class SimulatedXen
{
    /// <summary>XENMAPSPACE_gmfn_range (unsupported by the batch call).</summary>
    private const ushort MapSpaceGmfnRange = 2;

    /// <summary>DOMID_IO and DOMID_XEN: get_pg_owner gives dom_io and dom_xen, not modelled.</summary>
    private const ushort DomidXen = 0x7FF2;
    private const ushort DomidIo = 0x7FF1;

    /// <summary>INVALID_GFN as a guest passes it (~0).</summary>
    private const ulong InvalidGfn = ulong.MaxValue;

    private long AddToPhysmapBatch(XenAddToPhysmapBatch* b)
    {
        string name = $"XENMEM_add_to_physmap_batch(space {b->Space}, {b->Size} page(s), foreign dom {b->ForeignDomid})";
        XenCall kind = b->Space == XenMapSpace.GmfnForeign ? XenCall.AddToPhysmapBatchForeign : XenCall.None;
        if (kind != XenCall.None && TryInjectedFault(kind, out long fault))
            return Record(name, fault);
        if (b->Space == MapSpaceGmfnRange)
            return Record(name, -(long)XenErrno.EOPNOTSUPP);
        // rcu_lock_domain_by_any_id(xatpb.domid), then xatp_permission_check (XSM_TARGET).
        SimulatedXen? d = Domain(b->Domid);
        if (d is null)
            return Record(name, -(long)XenErrno.ESRCH);
        if (d != this)
        {
            if (_options.Kind != SimulatedDomainKind.Dom0)
                return Record(name, -(long)XenErrno.EPERM);
            throw new SimulatedXenException($"{name}: the model maps only into the caller's own space, not dom {b->Domid}'s");
        }
        if (b->Size == 0)
            return Record(name, 0);
        if (b->Idxs == 0 || b->Gpfns == 0 || b->Errs == 0)
            return Record(name, -(long)XenErrno.EFAULT);
        if (b->Space != XenMapSpace.GmfnForeign)
            throw new SimulatedXenException($"{name}: the model handles XENMAPSPACE_gmfn_foreign batches only");

        var idxs = (ulong*)b->Idxs;
        var gpfns = (ulong*)b->Gpfns;
        var errs = (int*)b->Errs;
        var results = new string[b->Size];
        for (int i = 0; i < b->Size; i++)
        {
            if (gpfns[i] == InvalidGfn)
                return Record($"{name}: {string.Join(", ", results[..i])}", Einval);
            errs[i] = MapForeignFrame(b->ForeignDomid, idxs[i], gpfns[i]);
            results[i] = $"{HostText.Hex(idxs[i])}->{HostText.Hex(gpfns[i])} {errs[i]}";
        }
        return Record($"{name}: {string.Join(", ", results)}", 0);
    }

    /// <summary>xenmem_add_to_physmap_one(XENMAPSPACE_gmfn_foreign) on Arm: the owner looked up
    /// as the release does (<see cref="SimulatedXenRelease.RejectsPseudoDomainForeignMaps"/>):
    /// up to 4.20.3 and 4.21.1 with get_pg_owner, where the caller's own id is -ESRCH ("Cannot
    /// specify itself as foreign domain") and DOMID_SELF names the caller, then -EINVAL; from
    /// 4.20.4, 4.21.2 and 4.22.0 with rcu_lock_remote_domain_by_id, where DOMID_SELF (not in the
    /// domain hash) and DOMID_IO are -ESRCH and the caller's own id -EPERM. Then only the
    /// control domain may map (XSM_TARGET), and the frame must be the owner's RAM (p2m_ram_rw:
    /// its pages and the xenheap pages it maps), else -EINVAL.</summary>
    private int MapForeignFrame(ushort foreignDomid, ulong idx, ulong gfn)
    {
        SimulatedXen? od;
        if (_options.Release.RejectsPseudoDomainForeignMaps)
        {
            od = foreignDomid is DomidXen or DomidIo ? null : DomainById(foreignDomid);
            if (od is null)
                return -(int)XenErrno.ESRCH;
            if (od == this)
                return -(int)XenErrno.EPERM;
        }
        else
        {
            if (foreignDomid == _options.DomainId || foreignDomid is DomidIo or DomidXen)
                return -(int)XenErrno.ESRCH;
            od = Domain(foreignDomid);
            if (od is null)
                return -(int)XenErrno.ESRCH;
            if (od == this)
                return -(int)XenErrno.EINVAL;
        }
        if (_options.Kind != SimulatedDomainKind.Dom0)
            return -(int)XenErrno.EPERM;
        if (!od.TryLookup(idx, out P2mEntry page) || page.Kind is not (P2mKind.Ram or P2mKind.XenHeap))
            return -(int)XenErrno.EINVAL;
        MapForeignPage(gfn, page.Frame, od);
        return 0;
    }

    /// <summary>guest_physmap_add_entry(p2m_map_foreign_rw) at <paramref name="gfn"/>, which
    /// replaces what was there (a foreign page's reference is dropped, p2m_put_l3_page).</summary>
    private void MapForeignPage(ulong gfn, SimulatedFrame frame, SimulatedXen owner)
    {
        if (TryLookup(gfn, out P2mEntry old))
        {
            if (old.Kind == P2mKind.Grant)
                throw new SimulatedXenException($"gfn {HostText.Hex(gfn)}: a foreign map over {old}, which the model does not replace " +
                    "(Xen would, leaving the grant's maptrack entry to fail its unmap)");
            Displace(gfn, old);
        }
        _p2m[gfn] = new P2mEntry(P2mKind.Foreign, frame, owner);
    }

    /// <summary>XENMEM_acquire_resource, in Xen's order: pad must be 0 and frame + nr_frames fit
    /// 32 bits (-EINVAL); the domain must exist (-ESRCH, DOMID_SELF included) and not be the
    /// caller (-EPERM); only the control domain may map it (XSM_DM_PRIV, -EPERM); an unknown
    /// type is -EOPNOTSUPP, an unknown id or a frame past the table's maximum -EINVAL; a null
    /// frame list with nr_frames 0 asks for the resource's size. The frames are mapped at the
    /// caller's gfns in frame_list (an auto-translated caller: set_foreign_p2m_entry).</summary>
    private long AcquireResource(XenMemAcquireResource* r)
    {
        string name = $"XENMEM_acquire_resource(dom {r->Domid}, type {r->Type}, id {r->Id}, frame {r->Frame}, {r->NrFrames} frame(s))";
        XenCall kind = r->Type == XenMemAcquireResource.TypeGrantTable ? XenCall.AcquireResourceGrantTable : XenCall.None;
        if (kind != XenCall.None && TryInjectedFault(kind, out long fault))
            return Record(name, fault);
        if (r->Pad != 0 || (r->Frame >> 32) != 0 || ((r->Frame + r->NrFrames) >> 32) != 0)
            return Record(name, Einval);
        SimulatedXen? d = DomainById(r->Domid);
        if (d is null)
            return Record(name, -(long)XenErrno.ESRCH);
        if (d == this)
            return Record(name, -(long)XenErrno.EPERM);
        if (_options.Kind != SimulatedDomainKind.Dom0)
            return Record(name, -(long)XenErrno.EPERM);
        if (r->Type != XenMemAcquireResource.TypeGrantTable)
            return Record(name, -(long)XenErrno.EOPNOTSUPP);
        // gnttab_resource_max_frames: the shared frames only (no status frames without v2).
        if (r->Id != XenMemAcquireResource.GrantTableIdShared)
            return Record(name, Einval);
        if (r->FrameList == 0)
        {
            if (r->NrFrames != 0)
                return Record(name, Einval);
            r->NrFrames = d._options.MaxGrantFrames;
            return Record($"{name} -> {r->NrFrames} frame(s)", 0);
        }
        if (r->NrFrames == 0)
            return Record(name, Einval);
        // gnttab_get_shared_frame_mfn: the table grows to cover the last frame, up to its maximum.
        ulong last = r->Frame + r->NrFrames - 1;
        if (last >= d._options.MaxGrantFrames)
            return Record(name, Einval);
        while ((ulong)d._grantFrames.Count <= last)
            d._grantFrames.Add(d.NewFrame(FrameKind.GrantTable, (uint)d._grantFrames.Count));
        var gfns = (ulong*)r->FrameList;
        for (uint i = 0; i < r->NrFrames; i++)
            MapForeignPage(gfns[i], d._grantFrames[(int)(r->Frame + i)], d);
        return Record($"{name} at gfn {HostText.Hex(gfns[0])}", 0);
    }
}
