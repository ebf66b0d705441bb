using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using GuestStub.Memory;
using GuestStub.Xen;

namespace GuestStub.Simulation;

/// <summary>
/// A modelled Xen 4.17 on Arm as one domain sees it, precise where the stub depends on it
/// (shared/PLATFORM.md): a P2M from guest frames to machine frames with RAM and holes; xenheap
/// frames (shared_info, grant frames) that remember where they are mapped; a grant table that
/// grows on demand up to its maximum; decrease/populate semantics for a direct-mapped dom0 and
/// a translated domU; grant maps, foreign maps and event channels that reach the other domains
/// of its <see cref="SimulatedMachine"/>; a captured console; fault injection; and
/// <see cref="CheckBooks"/>, which lists everything not returned to its boot-time state.
///
/// Pointer arguments are host pointers (the stub's structures live in the test's memory),
/// exactly as the guest passes its own virtual addresses to the real Xen. Every entry point
/// takes the machine's lock (a lone domain's own), so domains may run on several threads.
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
    /// <summary>The next machine frame for a domU page or a xenheap page: far from any guest's
    /// RAM, and a range of its own for each domain (2^28 frames), so frames are unique on a machine.</summary>
    private ulong _nextMachineFrame;

    public SimulatedXen(SimulatedXenOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var clockOptions = new SimulatedMachineOptions();
        _ownClock = new MachineClock(_ownSync, clockOptions.VirtualStep, clockOptions.MaxVirtualStep);
        _nextMachineFrame = 0x1_0000_0000UL + ((ulong)options.DomainId << 28);
        _ram = options.Ram.Where(r => !r.IsEmpty).ToList();
        _initialPages = _ram.Sum(r => (long)(r.SizeBytes >> PageSize.Shift));
        _totalPages = _initialPages;
        _sharedInfo = NewFrame(FrameKind.SharedInfo);
        for (uint i = 0; i < Math.Max(1, options.InitialGrantFrames); i++)
            _grantFrames.Add(NewFrame(FrameKind.GrantTable, i));
    }

    public SimulatedXenOptions Options => _options;

    /// <summary>The machine this domain is part of; null for a domain alone.</summary>
    internal SimulatedMachine? Machine { get; set; }

    private readonly object _ownSync = new();
    private readonly MachineClock _ownClock;

    /// <summary>The lock guarding the model: the machine's, or the lone domain's own.</summary>
    internal object SyncRoot => Machine?.SyncRoot ?? _ownSync;

    /// <summary>The counter this domain reads: its machine's, or the lone domain's own.</summary>
    public MachineClock Clock => Machine?.Clock ?? _ownClock;

    /// <summary>Everything written with CONSOLEIO_write.</summary>
    public string Console
    {
        get
        {
            lock (SyncRoot)
                return _console.ToString();
        }
    }

    /// <summary>One line per hypercall: what it was and what it returned (a copy).</summary>
    public IReadOnlyList<string> CallLog
    {
        get
        {
            lock (SyncRoot)
                return _log.ToArray();
        }
    }

    public int GrantFrameCount
    {
        get
        {
            lock (SyncRoot)
                return _grantFrames.Count;
        }
    }

    public ulong? SharedInfoMappedAt
    {
        get
        {
            lock (SyncRoot)
                return _sharedInfo.MappedAt;
        }
    }

    /// <summary>Where grant frame <paramref name="index"/> is mapped, if it exists and is mapped.</summary>
    public ulong? GrantFrameMappedAt(uint index)
    {
        lock (SyncRoot)
            return index < _grantFrames.Count ? _grantFrames[(int)index].MappedAt : null;
    }

    /// <summary>The current P2M entry's description for <paramref name="gfn"/> ("hole" when none).</summary>
    public string Describe(ulong gfn)
    {
        lock (SyncRoot)
            return TryLookup(gfn, out P2mEntry e) ? e.ToString() : "hole";
    }

    public bool IsRam(ulong gfn)
    {
        ulong address = gfn << PageSize.Shift;
        foreach (PhysicalRange r in _ram)
            if (r.Contains(address))
                return true;
        return false;
    }

    private bool IsBootRam(PhysicalRange range) => _ram.Any(r => r.Covers(range));

    /// <summary>The page mapped at <paramref name="gfn"/> (its memory is the frame's, shared
    /// with every other domain that maps the same frame), or null for a hole.</summary>
    public byte* Page(ulong gfn)
    {
        lock (SyncRoot)
        {
            Clock.ThrowIfStopped(this);
            return TryLookup(gfn, out P2mEntry e) ? e.Frame.Data : null;
        }
    }

    /// <summary>As the guest: boot RAM is reachable whatever <see cref="SimulatedXenOptions.ReachableLimit"/>
    /// says (the guest maps its RAM Normal from the start); anything else only below the limit.</summary>
    public bool BeginNormalAccess(PhysicalRange range)
    {
        lock (SyncRoot)
        {
            Clock.ThrowIfStopped(this);
            if (range.IsEmpty || (range.End > _options.ReachableLimit && !IsBootRam(range)))
                return false;
            _normalAccess[range.Start] = _normalAccess.GetValueOrDefault(range.Start) + 1;
            return true;
        }
    }

    public void EndNormalAccess(PhysicalRange range)
    {
        lock (SyncRoot)
        {
            Clock.ThrowIfStopped(this);
            if (!_normalAccess.TryGetValue(range.Start, out int n) || n == 0)
                throw new SimulatedXenException($"EndNormalAccess({HostText.Hex(range.Start)}) without BeginNormalAccess");
            if (n == 1)
                _normalAccess.Remove(range.Start);
            else
                _normalAccess[range.Start] = n - 1;
        }
    }

    private int _writeBarriers;

    public int WriteBarriers => Volatile.Read(ref _writeBarriers);

    public void WriteBarrier() => Interlocked.Increment(ref _writeBarriers);

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        NativeMemory.Free(GuestEvents);
        foreach (SimulatedFrame f in _allFrames)
            f.Dispose();
        _allFrames.Clear();
        foreach (nint buffer in _bankBuffers.Values)
            NativeMemory.Free((void*)buffer);
        _bankBuffers.Clear();
    }

    private bool _disposed;

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

    /// <summary>What a P2M entry maps (Xen's p2m types): the domain's RAM (p2m_ram_rw), a
    /// xenheap page (shared_info, a grant frame), a grant mapping (p2m_grant_map_rw/ro) or a
    /// foreign page (p2m_map_foreign_rw: another domain's RAM or grant frame).</summary>
    private enum P2mKind { Ram, XenHeap, Grant, Foreign }

    /// <param name="Owner">For a grant or foreign mapping, the domain whose page it is.</param>
    private readonly record struct P2mEntry(P2mKind Kind, SimulatedFrame Frame, SimulatedXen? Owner = null)
    {
        public override string ToString() => Kind switch
        {
            P2mKind.Grant => $"a grant mapping of dom {Owner?._options.DomainId}'s {Frame}",
            P2mKind.Foreign => $"a foreign mapping of dom {Owner?._options.DomainId}'s {Frame}",
            _ => Frame.ToString(),
        };
    }
}
