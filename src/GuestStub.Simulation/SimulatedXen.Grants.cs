using System.Collections.Generic;
using System.Threading;
using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// grant_table_op: query_size, map_grant_ref, unmap_grant_ref, of this domain's own grants or of
// another domain's (Xen 4.17 common/grant_table.c map_grant_ref, unmap_common(_complete); Arm's
// create/replace_grant_host_mapping in arch/arm/mm.c). The granter keeps the active entry (who
// maps the ref, how many read-only and read-write pins) and Xen's GTF_reading/GTF_writing in its
// shared entry; the mapper keeps its maptrack (handle -> mapping) and the p2m_grant_map entry,
// whose memory is the granter's page.
public sealed unsafe partial class SimulatedXen
{
    /// <summary>GNTMAP_* bits other than host_map and readonly (grant_table.h).</summary>
    private const uint GntmapDeviceMap = 1 << 0;
    private const uint GntmapApplicationMap = 1 << 3;
    private const uint GntmapContainsPte = 1 << 4;

    /// <summary>GTF_type_mask, GTF_sub_page and the cache attributes GTF_PWT|GTF_PCD|GTF_PAT.</summary>
    private const ushort GtfTypeMask = 0x3;
    private const ushort GtfSubPage = 1 << 8;
    private const ushort GtfCacheFlags = (1 << 5) | (1 << 6) | (1 << 7);

    /// <summary>This domain's mappings of grants (its maptrack): handle -> mapping.</summary>
    private readonly Dictionary<uint, GrantMapping> _maptrack = new();
    private uint _nextHandle = 1;

    /// <summary>This domain's grants that someone maps (Xen's active grant entries).</summary>
    private readonly Dictionary<uint, ActiveGrant> _active = new();

    private sealed record GrantMapping(SimulatedXen Granter, uint Ref, ulong HostGfn, bool ReadOnly)
    {
        public override string ToString() =>
            $"dom {Granter._options.DomainId}'s ref {Ref} at gfn {HostText.Hex(HostGfn)}{(ReadOnly ? " read-only" : "")}";
    }

    /// <summary>Xen's struct active_grant_entry: the one domain that maps the ref, its pins, the frame.</summary>
    private sealed class ActiveGrant
    {
        public ushort Mapper;
        public int HostRead;
        public int HostWrite;
        public required SimulatedFrame Frame;
        public int Pins => HostRead + HostWrite;
    }

    private long OnGrantTableOp(ulong cmd, ulong arg, ulong count)
    {
        if (count != 1)
            throw new SimulatedXenException($"grant_table_op({cmd}) with count {count}: the model handles one operation per call");
        switch (cmd)
        {
            case Xen.GrantTableOp.QuerySize:
                return QuerySize((GnttabQuerySize*)arg);
            case Xen.GrantTableOp.MapGrantRef:
                return MapGrantRef((GnttabMapGrantRef*)arg);
            case Xen.GrantTableOp.UnmapGrantRef:
                return UnmapGrantRef((GnttabUnmapGrantRef*)arg);
            default:
                return Record($"grant_table_op({cmd})", Enosys);
        }
    }

    private long QuerySize(GnttabQuerySize* q)
    {
        if (TryInjectedFault(XenCall.GnttabQuerySize, out long fault))
            return Record("GNTTABOP_query_size", fault);
        if (!IsSelf(q->Dom))
        {
            q->Status = GrantStatus.BadDomain;
            return Record("GNTTABOP_query_size", 0);
        }
        q->NrFrames = (uint)_grantFrames.Count;
        q->MaxNrFrames = _options.MaxGrantFrames;
        q->Status = GrantStatus.Okay;
        return Record($"GNTTABOP_query_size -> {q->NrFrames}/{q->MaxNrFrames}", 0);
    }

    private long MapGrantRef(GnttabMapGrantRef* m)
    {
        string name = $"GNTTABOP_map_grant_ref(ref {m->Ref}, dom {m->Dom}, host {HostText.Hex(m->HostAddr)}" +
            ((m->Flags & GnttabMapGrantRef.GntmapReadonly) != 0 ? ", readonly)" : ")");
        if (TryInjectedFault(XenCall.GnttabMapGrantRef, out long fault))
            return Record(name, fault);
        m->Status = _grantStatus = MapGrant(m);
        return Record($"{name} status {m->Status}", 0);
    }

    /// <summary>Xen 4.17 map_grant_ref for an Arm (auto-translated, paging_mode_external) caller,
    /// in Xen's order of checks, GNTMAP_host_map only (no device mappings on Arm).</summary>
    private short MapGrant(GnttabMapGrantRef* m)
    {
        uint flags = m->Flags;
        bool readOnly = (flags & GnttabMapGrantRef.GntmapReadonly) != 0;
        if ((flags & (GnttabMapGrantRef.GntmapHostMap | GntmapDeviceMap)) == 0)
            return GrantStatus.BadGntref; // "Bad flags in grant map op"
        if ((flags & (GntmapDeviceMap | GntmapApplicationMap | GntmapContainsPte)) != 0)
            return GrantStatus.GeneralError; // "No device mapping in HVM domain"
        // rcu_lock_domain_by_id: a real id only (DOMID_SELF names no domain here).
        SimulatedXen? rd = DomainById(m->Dom);
        if (rd is null)
            return GrantStatus.BadDomain;
        if (m->Ref >= (uint)rd._grantFrames.Count * GrantEntryV1.EntriesPerFrame)
            return GrantStatus.BadGntref;

        ushort me = _options.DomainId;
        rd._active.TryGetValue(m->Ref, out ActiveGrant? act);
        if (act is not null && act.Mapper != me)
            return GrantStatus.GeneralError; // pinned by another domain
        if (act is null || (!readOnly && act.HostWrite == 0))
        {
            short status = rd.SetStatusV1(m->Ref, pinned: act is not null, readOnly, me);
            if (status != GrantStatus.Okay)
                return status;
        }
        if (act is null)
        {
            // get_paged_frame: the granter's frame must be its RAM.
            uint gfn = rd.EntryPointer(m->Ref)->Frame;
            if (!rd.TryLookup(gfn, out P2mEntry granted) || granted.Kind != P2mKind.Ram)
            {
                rd.ReduceStatusForPin(m->Ref, null, readOnly);
                return GrantStatus.BadPage;
            }
            act = new ActiveGrant { Mapper = me, Frame = granted.Frame };
            rd._active[m->Ref] = act;
        }
        if (readOnly)
            act.HostRead++;
        else
            act.HostWrite++;

        // create_grant_host_mapping (Arm): cache attributes, or any flag but host_map|readonly,
        // are refused. The model maps only into a hole (Xen would replace what is there).
        ulong hostGfn = m->HostAddr >> PageSize.Shift;
        if ((Volatile.Read(ref rd.EntryPointer(m->Ref)->Flags) & GtfCacheFlags) != 0 ||
            (flags & ~GnttabMapGrantRef.GntmapReadonly) != GnttabMapGrantRef.GntmapHostMap || TryLookup(hostGfn, out _))
        {
            rd.Unpin(m->Ref, act, readOnly);
            return GrantStatus.GeneralError;
        }
        _p2m[hostGfn] = new P2mEntry(P2mKind.Grant, act.Frame, rd);
        uint handle = _nextHandle++;
        _maptrack[handle] = new GrantMapping(rd, m->Ref, hostGfn, readOnly);
        m->Handle = handle;
        m->DevBusAddr = act.Frame.MachineFrame << PageSize.Shift;
        return GrantStatus.Okay;
    }

    private long UnmapGrantRef(GnttabUnmapGrantRef* u)
    {
        string name = $"GNTTABOP_unmap_grant_ref(handle {u->Handle}, host {HostText.Hex(u->HostAddr)})";
        if (TryInjectedFault(XenCall.GnttabUnmapGrantRef, out long fault))
            return Record(name, fault);
        u->Status = _grantStatus = UnmapGrant(u);
        return Record($"{name} status {u->Status}", 0);
    }

    /// <summary>Xen 4.17 unmap_common and unmap_common_complete: the host mapping removed
    /// (replace_grant_host_mapping: the frame at host_addr must be the granted one), the pin
    /// dropped and the granter's GTF_reading/GTF_writing cleared with the last pin of each kind.
    /// A host_addr of 0 unmaps nothing and keeps the handle, as in Xen.</summary>
    private short UnmapGrant(GnttabUnmapGrantRef* u)
    {
        if (!_maptrack.TryGetValue(u->Handle, out GrantMapping? map))
            return GrantStatus.BadHandle;
        if (u->HostAddr == 0)
            return GrantStatus.Okay;
        SimulatedXen rd = map.Granter;
        ActiveGrant act = rd._active[map.Ref];
        ulong gfn = u->HostAddr >> PageSize.Shift;
        if (!_p2m.TryGetValue(gfn, out P2mEntry entry) || entry.Kind != P2mKind.Grant || entry.Frame != act.Frame)
            return GrantStatus.GeneralError;
        _p2m.Remove(gfn);
        _maptrack.Remove(u->Handle);
        rd.Unpin(map.Ref, act, map.ReadOnly);
        return GrantStatus.Okay;
    }

    /// <summary>Drops one pin of <paramref name="gref"/> and clears the flags it no longer needs.</summary>
    private void Unpin(uint gref, ActiveGrant act, bool readOnly)
    {
        if (readOnly)
            act.HostRead--;
        else
            act.HostWrite--;
        if (act.Pins == 0)
            _active.Remove(gref);
        ReduceStatusForPin(gref, act.Pins == 0 ? null : act, readOnly);
    }

    /// <summary>Xen _set_status_v1: with a cmpxchg on the entry's flags and domid (at most five
    /// tries against a guest changing it), checks that it permits <paramref name="mapper"/> (unless
    /// already pinned) and sets GTF_reading, and GTF_writing for a writable map of an entry not
    /// granted read-only.</summary>
    private short SetStatusV1(uint gref, bool pinned, bool readOnly, ushort mapper)
    {
        int* header = (int*)EntryPointer(gref);
        int seen = Volatile.Read(ref *header);
        for (int retries = 0; ; retries++)
        {
            ushort flags = (ushort)seen;
            ushort domid = (ushort)((uint)seen >> 16);
            if (!pinned && ((flags & (GtfTypeMask | GtfSubPage)) != GrantEntryV1.GtfPermitAccess || domid != mapper))
                return GrantStatus.GeneralError; // "Bad flags or dom"
            int wanted = flags | GrantEntryV1.GtfReading;
            if (!readOnly)
            {
                wanted |= GrantEntryV1.GtfWriting;
                if ((flags & GrantEntryV1.GtfReadonly) != 0)
                    return GrantStatus.GeneralError; // "Attempt to write-pin a r/o grant entry"
            }
            int replacement = (seen & ~0xFFFF) | wanted;
            int previous = Interlocked.CompareExchange(ref *header, replacement, seen);
            if (previous == seen)
                return GrantStatus.Okay;
            if (retries == 4)
                return GrantStatus.GeneralError; // "Shared grant entry is unstable"
            seen = previous;
        }
    }

    /// <summary>Xen reduce_status_for_pin: GTF_reading goes with the last pin, GTF_writing with
    /// the last writable one (<paramref name="act"/> null: no pin left).</summary>
    private void ReduceStatusForPin(uint gref, ActiveGrant? act, bool readOnly)
    {
        int clear = act is null ? GrantEntryV1.GtfReading : 0;
        if (!readOnly && (act is null || act.HostWrite == 0))
            clear |= GrantEntryV1.GtfWriting;
        if (clear == 0)
            return;
        int* header = (int*)EntryPointer(gref);
        int seen = Volatile.Read(ref *header);
        while (true)
        {
            int previous = Interlocked.CompareExchange(ref *header, seen & ~clear, seen);
            if (previous == seen)
                return;
            seen = previous;
        }
    }

    /// <summary>Grant entry <paramref name="gref"/> of this domain's table, as the guest wrote
    /// it and Xen marked it (GTF_reading/GTF_writing while mapped).</summary>
    public GrantEntryV1 GrantEntry(uint gref)
    {
        lock (SyncRoot)
        {
            if (gref >= (uint)_grantFrames.Count * GrantEntryV1.EntriesPerFrame)
                throw new System.ArgumentOutOfRangeException(nameof(gref), $"the table has {_grantFrames.Count * GrantEntryV1.EntriesPerFrame} entries");
            return *EntryPointer(gref);
        }
    }

    private GrantEntryV1* EntryPointer(uint gref) =>
        (GrantEntryV1*)(_grantFrames[(int)(gref / GrantEntryV1.EntriesPerFrame)].Data + gref % GrantEntryV1.EntriesPerFrame * GrantEntryV1.SizeBytes);

    /// <summary>The domain with id <paramref name="domid"/> (this one, or another of the
    /// machine); DOMID_SELF names none (Xen's rcu_lock_domain_by_id).</summary>
    private SimulatedXen? DomainById(ushort domid) =>
        domid == _options.DomainId ? this : Machine?.Find(domid);
}
