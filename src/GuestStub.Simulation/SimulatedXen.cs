using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using GuestStub.Memory;
using GuestStub.Xen;

namespace GuestStub.Simulation;

/// <summary>
/// A modelled Xen 4.17 on Arm for one domain, precise where the stub depends on it
/// (shared/PLATFORM.md): a P2M from guest frames to machine frames with RAM and holes; xenheap
/// frames (shared_info, grant frames) that remember where they are mapped; a grant table that
/// grows on demand up to its maximum; decrease/populate semantics for a direct-mapped dom0 and
/// a translated domU; a captured console; fault injection; and <see cref="CheckBooks"/>, which
/// lists everything not returned to its boot-time state.
///
/// Pointer arguments are host pointers (the stub's structures live in the test's memory),
/// exactly as the guest passes its own virtual addresses to the real Xen.
/// </summary>
public sealed unsafe partial class SimulatedXen : IDisposable
{
    private readonly SimulatedXenOptions _options;
    private readonly List<PhysicalRange> _ram;

    /// <summary>The P2M: guest frame -> what is mapped there. Initial RAM is materialised on
    /// first touch (<see cref="_touchedRam"/>), so a 512 MiB guest costs only what it uses.</summary>
    private readonly Dictionary<ulong, P2mEntry> _p2m = new();
    private readonly HashSet<ulong> _touchedRam = new();

    /// <summary>Dom0: every RAM frame it owns, mapped or not (gfn == mfn).</summary>
    private readonly Dictionary<ulong, SimulatedFrame> _dom0Owned = new();

    /// <summary>RAM pages still allocated to the domain but mapped nowhere (Xen keeps them; the
    /// guest lost them): a leak for <see cref="CheckBooks"/>.</summary>
    private readonly HashSet<SimulatedFrame> _stranded = new();

    private readonly List<SimulatedFrame> _allFrames = new();
    private readonly SimulatedFrame _sharedInfo;
    private readonly List<SimulatedFrame> _grantFrames = new();
    private readonly Dictionary<ulong, int> _normalAccess = new();
    private readonly StringBuilder _console = new();
    private readonly List<string> _log = new();

    private long _totalPages;
    private readonly long _initialPages;
    private ulong _nextMachineFrame = 0x1_0000_0000; // domU pages and xenheap: far from guest RAM

    public SimulatedXen(SimulatedXenOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _ram = options.Ram.Where(r => !r.IsEmpty).ToList();
        _initialPages = _ram.Sum(r => (long)(r.SizeBytes >> PageSize.Shift));
        _totalPages = _initialPages;
        _sharedInfo = NewFrame(FrameKind.SharedInfo);
        for (uint i = 0; i < Math.Max(1, options.InitialGrantFrames); i++)
            _grantFrames.Add(NewFrame(FrameKind.GrantTable, i));
    }

    public SimulatedXenOptions Options => _options;

    /// <summary>Everything written with CONSOLEIO_write.</summary>
    public string Console => _console.ToString();

    /// <summary>One line per hypercall: what it was and what it returned.</summary>
    public IReadOnlyList<string> CallLog => _log;

    public int GrantFrameCount => _grantFrames.Count;

    public ulong? SharedInfoMappedAt => _sharedInfo.MappedAt;

    /// <summary>Where grant frame <paramref name="index"/> is mapped, if it exists and is mapped.</summary>
    public ulong? GrantFrameMappedAt(uint index) => index < _grantFrames.Count ? _grantFrames[(int)index].MappedAt : null;

    /// <summary>The current P2M entry's description for <paramref name="gfn"/> ("hole" when none).</summary>
    public string Describe(ulong gfn) => TryLookup(gfn, out P2mEntry e) ? e.ToString() : "hole";

    public bool IsRam(ulong gfn)
    {
        ulong address = gfn << PageSize.Shift;
        foreach (PhysicalRange r in _ram)
            if (r.Contains(address))
                return true;
        return false;
    }

    private bool IsBootRam(PhysicalRange range) => _ram.Any(r => r.Covers(range));

    public byte* Page(ulong gfn) => TryLookup(gfn, out P2mEntry e) ? e.Frame.Data : null;

    /// <summary>As the guest: boot RAM is reachable whatever <see cref="SimulatedXenOptions.ReachableLimit"/>
    /// says (the guest maps its RAM Normal from the start); anything else only below the limit.</summary>
    public bool BeginNormalAccess(PhysicalRange range)
    {
        if (range.IsEmpty || (range.End > _options.ReachableLimit && !IsBootRam(range)))
            return false;
        _normalAccess[range.Start] = _normalAccess.GetValueOrDefault(range.Start) + 1;
        return true;
    }

    public void EndNormalAccess(PhysicalRange range)
    {
        if (!_normalAccess.TryGetValue(range.Start, out int n) || n == 0)
            throw new SimulatedXenException($"EndNormalAccess({HostText.Hex(range.Start)}) without BeginNormalAccess");
        if (n == 1)
            _normalAccess.Remove(range.Start);
        else
            _normalAccess[range.Start] = n - 1;
    }

    public int WriteBarriers { get; private set; }

    public void WriteBarrier() => WriteBarriers++;

    /// <summary>
    /// What is not as it was at boot, one line each; empty when the books balance: every RAM
    /// page the stub touched is back (dom0: the same machine frame), no xenheap frame is mapped,
    /// no grant is mapped or still permitted, no page is stranded, the domain holds exactly its
    /// boot-time page count, no memory-attribute change is left open, no event channel is open.
    /// </summary>
    public IReadOnlyList<string> CheckBooks()
    {
        var problems = new List<string>();
        foreach (ulong gfn in _touchedRam.OrderBy(g => g))
        {
            if (!_p2m.TryGetValue(gfn, out P2mEntry e) || e.Kind != P2mKind.Ram)
                problems.Add($"RAM gfn {HostText.Hex(gfn)} is {(_p2m.TryGetValue(gfn, out e) ? e.ToString() : "a hole")}");
            else if (_options.Kind == SimulatedDomainKind.Dom0 && e.Frame.MachineFrame != gfn)
                problems.Add($"dom0 RAM gfn {HostText.Hex(gfn)} maps mfn {HostText.Hex(e.Frame.MachineFrame)}");
        }
        foreach (KeyValuePair<ulong, P2mEntry> kv in _p2m)
            if (!IsRam(kv.Key))
                problems.Add($"gfn {HostText.Hex(kv.Key)} outside RAM maps {kv.Value}");
        if (_sharedInfo.MappedAt is ulong s)
            problems.Add($"shared_info still mapped at gfn {HostText.Hex(s)}");
        foreach (SimulatedFrame f in _grantFrames)
            if (f.MappedAt is ulong g)
                problems.Add($"{f} still mapped at gfn {HostText.Hex(g)}");
        foreach (SimulatedFrame f in _stranded)
            problems.Add($"{f} stranded (allocated to the domain, mapped nowhere)");
        if (_grantMaps.Count != 0)
            problems.Add($"{_grantMaps.Count} grant mapping(s) still in place");
        for (int i = 0; i < _grantFrames.Count; i++)
            for (int e = 0; e < SimulatedFrame.SizeBytes / 8; e++)
                if ((_grantFrames[i].Data[e * 8] & 0x3) != 0)
                    problems.Add($"grant entry {i * 512 + e} still permits access");
        if (_totalPages != _initialPages)
            problems.Add($"domain holds {_totalPages} pages, {_initialPages} at boot");
        foreach (KeyValuePair<ulong, int> kv in _normalAccess)
            problems.Add($"Normal-memory access at {HostText.Hex(kv.Key)} begun {kv.Value} time(s) and not ended");
        foreach (string port in OpenPorts())
            problems.Add($"event channel {port} still open");
        return problems;
    }

    public void Dispose()
    {
        NativeMemory.Free(GuestEvents);
        foreach (SimulatedFrame f in _allFrames)
            f.Dispose();
        _allFrames.Clear();
        foreach (nint buffer in _bankBuffers.Values)
            NativeMemory.Free((void*)buffer);
        _bankBuffers.Clear();
    }

    /// <summary>Boot RAM bank start -> its zeroed backing, allocated on first touch (calloc:
    /// the host commits only the pages the stub writes).</summary>
    private readonly Dictionary<ulong, nint> _bankBuffers = new();

    private byte* BankBacking(ulong address)
    {
        foreach (PhysicalRange bank in _ram)
        {
            if (!bank.Contains(address))
                continue;
            if (!_bankBuffers.TryGetValue(bank.Start, out nint buffer))
            {
                buffer = (nint)NativeMemory.AllocZeroed((nuint)bank.SizeBytes);
                _bankBuffers[bank.Start] = buffer;
            }
            return (byte*)buffer + (address - bank.Start);
        }
        throw new SimulatedXenException($"{HostText.Hex(address)} is not boot RAM");
    }

    private SimulatedFrame NewFrame(FrameKind kind, uint index = 0, ulong? machineFrame = null)
    {
        var frame = new SimulatedFrame(kind, machineFrame ?? _nextMachineFrame++, index);
        _allFrames.Add(frame);
        return frame;
    }

    /// <summary>The P2M entry at <paramref name="gfn"/>, materialising untouched boot RAM.</summary>
    private bool TryLookup(ulong gfn, out P2mEntry entry)
    {
        if (_p2m.TryGetValue(gfn, out entry))
            return true;
        if (_touchedRam.Contains(gfn) || !IsRam(gfn))
            return false;
        _touchedRam.Add(gfn);
        // Dom0 is direct-mapped: its RAM frame at gfn is machine frame gfn. Boot RAM lives in
        // one buffer per bank, so a run of pages is contiguous as in the guest.
        var frame = new SimulatedFrame(FrameKind.GuestRam,
            _options.Kind == SimulatedDomainKind.Dom0 ? gfn : _nextMachineFrame++, BankBacking(gfn << PageSize.Shift));
        _allFrames.Add(frame);
        if (_options.Kind == SimulatedDomainKind.Dom0)
            _dom0Owned[gfn] = frame;
        entry = new P2mEntry(P2mKind.Ram, frame);
        _p2m[gfn] = entry;
        return true;
    }

    private void Log(string text) => _log.Add(text);

    private enum P2mKind { Ram, XenHeap, Grant }

    private readonly record struct P2mEntry(P2mKind Kind, SimulatedFrame Frame)
    {
        public override string ToString() => Kind switch
        {
            P2mKind.Grant => $"a grant mapping of {Frame}",
            _ => Frame.ToString(),
        };
    }
}
