using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// memory_op: add_to_physmap, remove_from_physmap, decrease_reservation, populate_physmap
// (foreign mappings, add_to_physmap_batch and acquire_resource, are in SimulatedXen.Foreign.cs).
public sealed unsafe partial class SimulatedXen
{
    private long OnMemoryOp(ulong cmd, ulong arg)
    {
        switch (cmd)
        {
            case XenMemoryOp.AddToPhysmap:
                return AddToPhysmap((XenAddToPhysmap*)arg);
            case XenMemoryOp.AddToPhysmapBatch:
                return AddToPhysmapBatch((XenAddToPhysmapBatch*)arg);
            case XenMemoryOp.AcquireResource:
                return AcquireResource((XenMemAcquireResource*)arg);
            case XenMemoryOp.RemoveFromPhysmap:
                return RemoveFromPhysmap((XenRemoveFromPhysmap*)arg);
            case XenMemoryOp.DecreaseReservation:
                return Reservation((XenMemoryReservation*)arg, decrease: true);
            case XenMemoryOp.PopulatePhysmap:
                return Reservation((XenMemoryReservation*)arg, decrease: false);
            default:
                return Record($"memory_op({cmd})", Enosys);
        }
    }

    private bool IsSelf(ushort domid) => domid == DomainId.Self || domid == _options.DomainId;

    /// <summary>Xen 4.17 xenmem_add_to_physmap_one on Arm: the xenheap page is mapped at gpfn,
    /// replacing whatever was there; a page already mapped elsewhere gives -EBUSY; a grant frame
    /// index at or past the maximum gives -EINVAL, below it the table grows to cover it.</summary>
    private long AddToPhysmap(XenAddToPhysmap* a)
    {
        string name = $"XENMEM_add_to_physmap(space {a->Space}, idx {a->Idx}, gpfn {HostText.Hex(a->Gpfn)})";
        XenCall kind = a->Space == XenMapSpace.SharedInfo ? XenCall.AddToPhysmapSharedInfo : XenCall.AddToPhysmapGrantTable;
        if (TryInjectedFault(kind, out long fault))
            return Record(name, fault);
        if (!IsSelf(a->Domid))
            return Record(name, -(long)XenErrno.ESRCH);

        SimulatedFrame frame;
        if (a->Space == XenMapSpace.SharedInfo)
        {
            if (a->Idx != 0)
                return Record(name, Einval);
            frame = _sharedInfo;
        }
        else if (a->Space == XenMapSpace.GrantTable)
        {
            if (a->Idx >= _options.MaxGrantFrames)
                return Record(name, Einval);
            while ((ulong)_grantFrames.Count <= a->Idx)
                _grantFrames.Add(NewFrame(FrameKind.GrantTable, (uint)_grantFrames.Count));
            frame = _grantFrames[(int)a->Idx];
        }
        else
        {
            return Record(name, Einval);
        }

        if (frame.MappedAt is ulong at && at != a->Gpfn)
            return Record(name, -(long)XenErrno.EBUSY);
        if (TryLookup(a->Gpfn, out P2mEntry old))
            Displace(a->Gpfn, old);
        _p2m[a->Gpfn] = new P2mEntry(P2mKind.XenHeap, frame);
        frame.MappedAt = a->Gpfn;
        return Record(name, 0);
    }

    /// <summary>XENMEM_remove_from_physmap: -ENOENT for a hole; a RAM page is unmapped but
    /// stays the domain's (stranded until repopulated); a foreign page is unmapped and its
    /// reference dropped. A grant mapping of another domain's page is -ENOENT (get_page_from_gfn
    /// fails: the page is not this domain's); of its own page the model refuses with -EINVAL
    /// (Xen would remove it and leave the grant pinned).</summary>
    private long RemoveFromPhysmap(XenRemoveFromPhysmap* a)
    {
        string name = $"XENMEM_remove_from_physmap(gpfn {HostText.Hex(a->Gpfn)})";
        if (TryInjectedFault(XenCall.RemoveFromPhysmap, out long fault))
            return Record(name, fault);
        if (!IsSelf(a->Domid))
            return Record(name, -(long)XenErrno.ESRCH);
        if (!TryLookup(a->Gpfn, out P2mEntry entry))
            return Record(name, -(long)XenErrno.ENOENT);
        if (entry.Kind == P2mKind.Grant)
            return Record(name, entry.Owner == this ? Einval : -(long)XenErrno.ENOENT);
        Displace(a->Gpfn, entry);
        return Record(name, 0);
    }

    /// <summary>Removes the P2M entry at gfn, keeping each side's books.</summary>
    private void Displace(ulong gfn, P2mEntry entry)
    {
        _p2m.Remove(gfn);
        switch (entry.Kind)
        {
            case P2mKind.XenHeap:
                entry.Frame.MappedAt = null;
                break;
            case P2mKind.Ram:
                _stranded.Add(entry.Frame);
                break;
            case P2mKind.Foreign:
                break; // the foreign domain's page loses this reference; it stays that domain's
            case P2mKind.Grant:
                throw new SimulatedXenException($"gfn {HostText.Hex(gfn)}: a grant mapping replaced by a P2M change");
        }
    }

    /// <summary>decrease_reservation / populate_physmap of order-0 extents. Returns the number of
    /// extents done (stopping at the first that cannot be), as Xen does.</summary>
    private long Reservation(XenMemoryReservation* r, bool decrease)
    {
        XenCall kind = decrease ? XenCall.DecreaseReservation : XenCall.PopulatePhysmap;
        ulong* extents = (ulong*)r->ExtentStart;
        string name = $"{(decrease ? "XENMEM_decrease_reservation" : "XENMEM_populate_physmap")}({r->NrExtents} x order {r->ExtentOrder}, first gpfn {HostText.Hex((r->NrExtents > 0 ? extents[0] : 0))})";
        if (TryInjectedFault(kind, out long fault))
            return Record(name, fault);
        if (!IsSelf(r->Domid))
            return Record(name, -(long)XenErrno.ESRCH);
        if (r->ExtentOrder != 0)
            return Record(name, Einval);
        long done = 0;
        for (ulong i = 0; i < r->NrExtents; i++)
        {
            if (!(decrease ? DecreaseOne(extents[i]) : PopulateOne(extents[i])))
                break;
            done++;
        }
        return Record(name, done);
    }

    /// <summary>Xen guest_remove_page: the RAM page leaves the P2M. Dom0 (direct-mapped) keeps
    /// owning it; a domU's page goes back to Xen.</summary>
    private bool DecreaseOne(ulong gfn)
    {
        if (!TryLookup(gfn, out P2mEntry entry) || entry.Kind != P2mKind.Ram)
            return false;
        _p2m.Remove(gfn);
        if (_options.Kind == SimulatedDomainKind.DomU)
            _totalPages--;
        else
            _stranded.Add(entry.Frame); // owned and unmapped until populate_physmap brings it back
        return true;
    }

    /// <summary>Xen populate_physmap. Dom0: only gfn == mfn of a page it still owns and that is
    /// not mapped. DomU: a fresh page, within the domain's maximum, at a hole. (Stricter than
    /// Xen in one way: the model refuses to populate over an existing mapping.)</summary>
    private bool PopulateOne(ulong gfn)
    {
        if (TryLookup(gfn, out _))
            return false;
        if (_options.Kind == SimulatedDomainKind.Dom0)
        {
            if (!_dom0Owned.TryGetValue(gfn, out SimulatedFrame? frame) || !_stranded.Remove(frame))
                return false;
            _p2m[gfn] = new P2mEntry(P2mKind.Ram, frame);
            return true;
        }
        if (_totalPages >= _initialPages)
            return false; // max_pages reached
        SimulatedFrame page = NewFrame(FrameKind.GuestRam);
        _p2m[gfn] = new P2mEntry(P2mKind.Ram, page);
        _touchedRam.Add(gfn);
        _totalPages++;
        return true;
    }
}
