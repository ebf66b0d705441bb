using System.Collections.Generic;
using GuestStub.Memory;
using GuestStub.Xen;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// grant_table_op: query_size, map_grant_ref, unmap_grant_ref (one domain: grants to itself).
public sealed unsafe partial class SimulatedXen
{
    private readonly Dictionary<uint, GrantMapping> _grantMaps = new();
    private uint _nextHandle = 1;

    private sealed record GrantMapping(ulong HostGfn, uint Ref, SimulatedFrame Frame, bool ReadOnly);

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

    /// <summary>Xen map_grant_ref on Arm (auto-translated): checks the entry (permit_access, the
    /// mapping domain's real id), maps the granted page at host_addr and marks the entry
    /// GTF_reading|GTF_writing while mapped.</summary>
    private long MapGrantRef(GnttabMapGrantRef* m)
    {
        string name = $"GNTTABOP_map_grant_ref(ref {m->Ref}, dom {m->Dom}, host {HostText.Hex(m->HostAddr)})";
        if (TryInjectedFault(XenCall.GnttabMapGrantRef, out long fault))
            return Record(name, fault);
        m->Status = CheckAndMap(m);
        return Record($"{name} status {m->Status}", 0);
    }

    private short CheckAndMap(GnttabMapGrantRef* m)
    {
        if ((m->Flags & GnttabMapGrantRef.GntmapHostMap) == 0)
            return GrantStatus.GeneralError;
        if (m->Dom != _options.DomainId)
            return GrantStatus.BadDomain; // the model has one domain: it can only map its own grants
        if (m->Ref >= (uint)_grantFrames.Count * GrantEntryV1.EntriesPerFrame)
            return GrantStatus.BadGntref;
        GrantEntryV1* entry = EntryPointer(m->Ref);
        bool readOnly = (m->Flags & GnttabMapGrantRef.GntmapReadonly) != 0;
        if ((entry->Flags & 0x3) != GrantEntryV1.GtfPermitAccess || entry->Domid != _options.DomainId)
            return GrantStatus.GeneralError; // Xen: "Bad flags or dom"
        if (!readOnly && (entry->Flags & GrantEntryV1.GtfReadonly) != 0)
            return GrantStatus.PermissionDenied;
        if (!TryLookup(entry->Frame, out P2mEntry granted) || granted.Kind != P2mKind.Ram)
            return GrantStatus.BadPage;
        if ((m->HostAddr & PageSize.OffsetMask) != 0)
            return GrantStatus.GeneralError;
        ulong hostGfn = m->HostAddr >> PageSize.Shift;
        if (TryLookup(hostGfn, out _))
            return GrantStatus.GeneralError; // the model maps grants only into holes
        _p2m[hostGfn] = new P2mEntry(P2mKind.Grant, granted.Frame);
        uint handle = _nextHandle++;
        _grantMaps[handle] = new GrantMapping(hostGfn, m->Ref, granted.Frame, readOnly);
        entry->Flags |= (ushort)(GrantEntryV1.GtfReading | (readOnly ? 0 : GrantEntryV1.GtfWriting));
        m->Handle = handle;
        m->DevBusAddr = granted.Frame.MachineFrame << PageSize.Shift;
        return GrantStatus.Okay;
    }

    private long UnmapGrantRef(GnttabUnmapGrantRef* u)
    {
        string name = $"GNTTABOP_unmap_grant_ref(handle {u->Handle}, host {HostText.Hex(u->HostAddr)})";
        if (TryInjectedFault(XenCall.GnttabUnmapGrantRef, out long fault))
            return Record(name, fault);
        if (!_grantMaps.TryGetValue(u->Handle, out GrantMapping? mapping))
            u->Status = GrantStatus.BadHandle;
        else if (mapping.HostGfn != u->HostAddr >> PageSize.Shift)
            u->Status = GrantStatus.GeneralError;
        else
        {
            _grantMaps.Remove(u->Handle);
            _p2m.Remove(mapping.HostGfn);
            EntryPointer(mapping.Ref)->Flags &= unchecked((ushort)~(GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting));
            u->Status = GrantStatus.Okay;
        }
        return Record($"{name} status {u->Status}", 0);
    }

    private GrantEntryV1* EntryPointer(uint gref) =>
        (GrantEntryV1*)(_grantFrames[(int)(gref / GrantEntryV1.EntriesPerFrame)].Data + gref % GrantEntryV1.EntriesPerFrame * GrantEntryV1.SizeBytes);
}
