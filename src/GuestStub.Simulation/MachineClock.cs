using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace GuestStub.Simulation;

/// <summary>
/// The machine's one physical CPU and the counter every domain reads (CNTVCT_EL0 in the guest),
/// as in the project's boots (QEMU -smp 1 under Xen's scheduler): one domain runs at a time,
/// each on its own thread, and gives the CPU away only when it is idle (<see cref="Idle"/>, the
/// guest's IRQ window and SCHEDOP_yield) or done; the next ready domain in domid order runs.
/// The order of everything the domains do is therefore the same on every run, whatever the
/// host's threads and cores do.
///
/// Time is real elapsed time plus virtual time, which jumps ahead only when every running domain
/// is idle: then nothing any domain could do would change what the others wait for, and waiting
/// in real time would only cost wall time. A jump wakes every idle domain (each looks at its
/// bound before the next jump). It is <see cref="SimulatedMachineOptions.VirtualStep"/>, doubled
/// after each jump with nothing happening in between (no event, no hypercall that changed
/// anything, no domain starting or ending) up to <see cref="SimulatedMachineOptions.MaxVirtualStep"/>,
/// and back to the first size as soon as something happens. A lone domain thus runs out a 60 s
/// bound in milliseconds of wall time, a domain busy doing work (the host's JIT, a long set-up)
/// is never timed out by others waiting, and a benchmark, which never idles, measures real time only.
///
/// The clock also knows when the machine has stopped (dom0's power-off halts it, or the host's
/// wall-clock bound ran out): a domain still running then stops at its next call into the model.
/// Guarded by the machine's lock, like the rest of the model.
/// </summary>
public sealed class MachineClock
{
    /// <summary>A waiting thread looks again this often (a safety net: every change it waits
    /// for is signalled).</summary>
    private const int WaitMilliseconds = 1000;

    private readonly object _sync;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly long _firstStepTicks;
    private readonly long _maxStepTicks;
    private long _stepTicks;
    private long _virtualTicks;
    private bool _activity = true;

    /// <summary>The domains running, in domid order (the order the CPU goes round).</summary>
    private readonly List<SimulatedXen> _running = new();
    private readonly HashSet<SimulatedXen> _idle = new();
    private SimulatedXen? _current;
    private string? _stopped;
    private SimulatedXen? _survivor;

    internal MachineClock(object sync, TimeSpan firstStep, TimeSpan maxStep)
    {
        if (firstStep <= TimeSpan.Zero || maxStep < firstStep)
            throw new ArgumentOutOfRangeException(nameof(firstStep), "virtual steps must be positive, the first no larger than the largest");
        _sync = sync;
        _firstStepTicks = (long)(firstStep.TotalSeconds * Stopwatch.Frequency);
        _maxStepTicks = (long)(maxStep.TotalSeconds * Stopwatch.Frequency);
        _stepTicks = _firstStepTicks;
    }

    /// <summary>Ticks per second: the host's Stopwatch frequency.</summary>
    public ulong TicksPerSecond => (ulong)Stopwatch.Frequency;

    /// <summary>The counter now: real ticks since the machine was made, plus the virtual ones.</summary>
    public ulong Now => (ulong)(Stopwatch.GetTimestamp() - _start + Volatile.Read(ref _virtualTicks));

    /// <summary>The counter as a time: real time since the machine was made plus the virtual time.</summary>
    public TimeSpan Elapsed => TimeSpan.FromSeconds((double)Now / Stopwatch.Frequency);

    /// <summary>Virtual time added so far.</summary>
    public TimeSpan Virtual => TimeSpan.FromSeconds((double)Volatile.Read(ref _virtualTicks) / Stopwatch.Frequency);

    /// <summary>Jumps of virtual time so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Why the machine stopped, once it has (null: running).</summary>
    public string? Stopped
    {
        get
        {
            lock (_sync)
                return _stopped;
        }
    }

    /// <summary>A domain starts running (a boot, or a program standing in for one): it is ready
    /// for the CPU, and has it at once if no one else does.</summary>
    internal void Enter(SimulatedXen domain)
    {
        lock (_sync)
        {
            if (_running.Contains(domain))
                throw new InvalidOperationException($"domain {domain.Options.DomainId} is running already");
            int at = _running.FindIndex(d => d.Options.DomainId > domain.Options.DomainId);
            _running.Insert(at < 0 ? _running.Count : at, domain);
            _current ??= domain;
            _activity = true;
        }
    }

    /// <summary>Waits until <paramref name="domain"/> has the CPU (its first turn), at most
    /// <paramref name="bound"/> of wall time (the machine busy with another run).</summary>
    internal void Begin(SimulatedXen domain, TimeSpan bound)
    {
        var wall = Stopwatch.StartNew();
        lock (_sync)
        {
            while (_current != domain)
            {
                ThrowIfStopped(domain);
                if (wall.Elapsed >= bound)
                    throw new TimeoutException($"domain {domain.Options.DomainId} did not get the machine's CPU within {bound.TotalSeconds:0.#} s " +
                        $"(domain {_current?.Options.DomainId} has it)");
                Monitor.Wait(_sync, WaitMilliseconds);
            }
            ThrowIfStopped(domain);
        }
    }

    /// <summary>A domain has finished: the CPU goes to the next ready domain.</summary>
    internal void Leave(SimulatedXen domain)
    {
        lock (_sync)
        {
            int index = _running.IndexOf(domain);
            if (index < 0)
                return;
            _running.RemoveAt(index);
            _idle.Remove(domain);
            _activity = true;
            if (_current == domain)
                _current = _running.Count == 0 ? null : Next(index - 1);
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>
    /// The domain has nothing to do until something happens: returns at once when its upcall can
    /// be taken (pending, with <paramref name="enabledIntId"/> its interrupt) or when it is not
    /// running on the machine (a lone caller: time jumps); otherwise it gives the CPU to the next
    /// ready domain (when none is, time jumps and every domain is ready again) and waits for its
    /// next turn.
    /// </summary>
    internal void Idle(SimulatedXen domain, uint enabledIntId)
    {
        lock (_sync)
        {
            ThrowIfStopped(domain);
            if (enabledIntId == domain.UpcallIntId && domain.UpcallPending)
                return;
            int index = _running.IndexOf(domain);
            if (index < 0)
            {
                Step();
                return;
            }
            _idle.Add(domain);
            _current = Next(index);
            Monitor.PulseAll(_sync);
            WaitForTurn(domain);
        }
    }

    /// <summary>An event was raised for <paramref name="domain"/>: it is ready again (it runs
    /// on its next turn, before time moves on). Called with the machine's lock held.</summary>
    internal void Wake(SimulatedXen domain)
    {
        _activity = true;
        _idle.Remove(domain);
    }

    /// <summary>Something changed that a waiting domain may be waiting for (a hypercall that did
    /// something): the next jump of time is a small one again. Called with the machine's lock held.</summary>
    internal void NoteActivity() => _activity = true;

    /// <summary>Stops the machine: every running domain but <paramref name="survivor"/> stops at
    /// its next call into the model with <see cref="SimulatedMachineStoppedException"/>.</summary>
    internal void Stop(string reason, SimulatedXen? survivor)
    {
        lock (_sync)
        {
            _stopped ??= reason;
            _survivor ??= survivor;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Throws when the machine has stopped and <paramref name="domain"/> is one of the
    /// domains it stopped. Called with the machine's lock held.</summary>
    internal void ThrowIfStopped(SimulatedXen domain)
    {
        if (_stopped is not null && domain != _survivor && _running.Contains(domain))
            throw new SimulatedMachineStoppedException(_stopped);
    }

    /// <summary>The domains running now, for a message about those that did not finish.</summary>
    internal IReadOnlyList<SimulatedXen> Running()
    {
        lock (_sync)
            return _running.ToList();
    }

    /// <summary>The first ready domain after position <paramref name="index"/>, going round; when
    /// every domain is idle, time jumps and the one after <paramref name="index"/> runs.</summary>
    private SimulatedXen Next(int index)
    {
        int count = _running.Count;
        for (int i = 1; i <= count; i++)
        {
            SimulatedXen candidate = _running[(index + i + count) % count];
            if (!_idle.Contains(candidate))
                return candidate;
        }
        Step();
        return _running[(index + 1 + count) % count];
    }

    private void WaitForTurn(SimulatedXen domain)
    {
        while (_current != domain)
        {
            ThrowIfStopped(domain);
            Monitor.Wait(_sync, WaitMilliseconds);
        }
        ThrowIfStopped(domain);
    }

    private void Step()
    {
        _stepTicks = _activity ? _firstStepTicks : Math.Min(_stepTicks * 2, _maxStepTicks);
        _activity = false;
        Volatile.Write(ref _virtualTicks, _virtualTicks + _stepTicks);
        Steps++;
        _idle.Clear();
    }
}
