using System.Collections.Generic;
using System.Linq;
using GuestStub.Xen.Abi;

namespace GuestStub.Simulation;

// The books: what a domain has not returned to its boot-time state.
public sealed unsafe partial class SimulatedXen
{
    /// <summary>
    /// What is not as it was at boot, one line each; empty when the books balance: every RAM
    /// page the stub touched is back (dom0: the same machine frame), no xenheap frame is mapped,
    /// nothing of another domain is mapped here (grant or foreign), no grant of this domain is
    /// mapped by anyone, still permitted or still marked in use (GTF_reading/GTF_writing), no page
    /// is stranded, the domain holds exactly its boot-time page count, no memory-attribute change
    /// is left open, and no event channel is open but the static ones, which Xen bound before the
    /// domain ran and which must still be bound as it bound them (the next boot needs them).
    /// </summary>
    public IReadOnlyList<string> CheckBooks()
    {
        lock (SyncRoot)
        {
            var problems = new List<string>();
            foreach (ulong gfn in _touchedRam.OrderBy(g => g))
            {
                if (!_p2m.TryGetValue(gfn, out P2mEntry e) || e.Kind != P2mKind.Ram)
                    problems.Add($"RAM gfn {HostText.Hex(gfn)} is {(_p2m.TryGetValue(gfn, out e) ? e.ToString() : "a hole")}");
                else if (_options.Kind == SimulatedDomainKind.Dom0 && e.Frame.MachineFrame != gfn)
                    problems.Add($"dom0 RAM gfn {HostText.Hex(gfn)} maps mfn {HostText.Hex(e.Frame.MachineFrame)}");
            }
            foreach (KeyValuePair<ulong, P2mEntry> kv in _p2m.OrderBy(kv => kv.Key))
                if (!IsRam(kv.Key))
                    problems.Add($"gfn {HostText.Hex(kv.Key)} outside RAM maps {kv.Value}");
            if (_sharedInfo.MappedAt is ulong s)
                problems.Add($"shared_info still mapped at gfn {HostText.Hex(s)}");
            foreach (SimulatedFrame f in _grantFrames)
                if (f.MappedAt is ulong g)
                    problems.Add($"{f} still mapped at gfn {HostText.Hex(g)}");
            foreach (SimulatedFrame f in _stranded)
                problems.Add($"{f} stranded (allocated to the domain, mapped nowhere)");
            foreach (KeyValuePair<uint, GrantMapping> kv in _maptrack.OrderBy(kv => kv.Key))
                problems.Add($"grant mapping handle {kv.Key} still in place: {kv.Value}");
            foreach (KeyValuePair<uint, ActiveGrant> kv in _active.OrderBy(kv => kv.Key))
                problems.Add($"grant ref {kv.Key} still mapped by dom {kv.Value.Mapper} ({kv.Value.HostWrite} read-write, {kv.Value.HostRead} read-only)");
            for (int i = 0; i < _grantFrames.Count; i++)
            {
                for (int e = 0; e < GrantEntryV1.EntriesPerFrame; e++)
                {
                    ushort flags = ((GrantEntryV1*)_grantFrames[i].Data)[e].Flags;
                    int gref = i * GrantEntryV1.EntriesPerFrame + e;
                    if ((flags & GtfTypeMask) != 0)
                        problems.Add($"grant entry {gref} still permits access");
                    if ((flags & (GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting)) != 0)
                        problems.Add($"grant entry {gref} still marked in use (flags 0x{flags:x}: GTF_reading/GTF_writing)");
                }
            }
            if (_totalPages != _initialPages)
                problems.Add($"domain holds {_totalPages} pages, {_initialPages} at boot");
            foreach (KeyValuePair<ulong, int> kv in _normalAccess)
                problems.Add($"Normal-memory access at {HostText.Hex(kv.Key)} begun {kv.Value} time(s) and not ended");
            foreach (KeyValuePair<uint, Port> kv in _ports.OrderBy(kv => kv.Key))
            {
                Port p = kv.Value;
                if (p.Static is StaticBinding bound)
                {
                    if (p.State != PortState.Interdomain || p.RemoteDom != bound.RemoteDom || p.RemotePort != bound.RemotePort)
                        problems.Add($"static event channel {kv.Key} (to dom {bound.RemoteDom} port {bound.RemotePort}) is {Describe(kv.Key, p)}");
                }
                else if (p.State != PortState.Free)
                {
                    problems.Add($"event channel {Describe(kv.Key, p)} still open");
                }
            }
            return problems;
        }
    }
}
