using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using GuestStub.Platform;

namespace GuestStub.Simulation;

/// <summary>
/// The counter every domain of a modelled machine reads (CNTVCT_EL0 in the guest), and who is
/// waiting for it. Time is real elapsed time plus virtual time, which jumps ahead by
/// <see cref="StepTicks"/> only when every running domain is idle in <see cref="Idle"/>: then
/// nothing any domain could do would change what the others wait for, so waiting in real time
/// would only cost wall time. A step wakes every idle domain, so each one sees time pass (and
/// its bounded wait run out) before the next step. A lone domain thus runs out a 60 s bound in
/// milliseconds, a domain busy doing work (the host's JIT, a long set-up) is never timed out by
/// others waiting, and a benchmark, which never idles, measures real time only.
///
/// The clock also knows when the machine has stopped (dom0's power-off halts it, or the host's
/// wall-clock bound ran out): a domain still running then stops at its next call into the model.
/// Guarded by the machine's lock, like the rest of the model.
/// </summary>
public sealed class MachineClock
{
    /// <summary>How long a waiting domain sleeps in real time before it looks again (its wait
    /// may be for a write to shared memory by a domain still busy, which no step signals).</summary>
    private const int PollMilliseconds = 10;

    private readonly object _sync;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _virtualTicks;
    private readonly HashSet<SimulatedXen> _running = new();
    private readonly HashSet<SimulatedXen> _idle = new();
    private string? _stopped;
    private SimulatedXen? _stopper;

    internal MachineClock(object sync, TimeSpan step)
    {
        if (step <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(step), "a virtual step must be positive");
        _sync = sync;
        StepTicks = (long)(step.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Ticks per second: the host's Stopwatch frequency.</summary>
    public ulong TicksPerSecond => (ulong)Stopwatch.Frequency;

    /// <summary>How far virtual time jumps when every running domain is idle.</summary>
    public long StepTicks { get; }

    /// <summary>The counter now: real ticks since the machine was made, plus the virtual ones.</summary>
    public ulong Now => (ulong)(Stopwatch.GetTimestamp() - _start + Volatile.Read(ref _virtualTicks));

    /// <summary>Virtual time added so far.</summary>
    public TimeSpan Virtual => TimeSpan.FromSeconds((double)Volatile.Read(ref _virtualTicks) / Stopwatch.Frequency);

    /// <summary>Steps taken so far.</summary>
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

    /// <summary>A domain starts running (a boot, or a program standing in for one).</summary>
    internal void Enter(SimulatedXen domain)
    {
        lock (_sync)
            _running.Add(domain);
    }

    /// <summary>A domain has finished: the others may now all be idle.</summary>
    internal void Leave(SimulatedXen domain)
    {
        lock (_sync)
        {
            _running.Remove(domain);
            _idle.Remove(domain);
            if (_running.Count > 0 && _idle.Count == _running.Count)
                Step();
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>
    /// The domain has nothing to do until something happens: returns at once when its upcall can
    /// be taken (pending, with <paramref name="enabledIntId"/> its interrupt), when it is the last running domain to
    /// become idle (after a step) or when it is not running in a machine run at all (a lone
    /// caller: a step); otherwise sleeps until a step, an event for it or a short real-time poll.
    /// </summary>
    internal void Idle(SimulatedXen domain, uint enabledIntId)
    {
        lock (_sync)
        {
            ThrowIfStopped(domain);
            if (enabledIntId == domain.UpcallIntId && domain.UpcallPending)
                return;
            if (!_running.Contains(domain))
            {
                Step();
                return;
            }
            _idle.Add(domain);
            if (_idle.Count == _running.Count)
            {
                Step();
                return;
            }
            while (_idle.Contains(domain) && _stopped is null)
            {
                if (!Monitor.Wait(_sync, PollMilliseconds))
                {
                    _idle.Remove(domain);
                    break;
                }
            }
            ThrowIfStopped(domain);
        }
    }

    /// <summary>An event was raised for <paramref name="domain"/>: it stops being idle at once,
    /// so it takes the upcall before time moves on. Called with the machine's lock held.</summary>
    internal void Wake(SimulatedXen domain)
    {
        if (_idle.Remove(domain))
            Monitor.PulseAll(_sync);
    }

    /// <summary>Stops the machine: every running domain but <paramref name="survivor"/> stops at
    /// its next call into the model with <see cref="SimulatedMachineStoppedException"/>.</summary>
    internal void Stop(string reason, SimulatedXen? survivor)
    {
        lock (_sync)
        {
            _stopped ??= reason;
            _stopper ??= survivor;
            _idle.Clear();
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Throws when the machine has stopped and <paramref name="domain"/> is one of the
    /// domains it stopped. Called with the machine's lock held.</summary>
    internal void ThrowIfStopped(SimulatedXen domain)
    {
        if (_stopped is not null && domain != _stopper && _running.Contains(domain))
            throw new SimulatedMachineStoppedException(_stopped);
    }

    /// <summary>The domains running now, for a message about those that did not finish.</summary>
    internal IReadOnlyList<SimulatedXen> Running()
    {
        lock (_sync)
            return new List<SimulatedXen>(_running);
    }

    private void Step()
    {
        Volatile.Write(ref _virtualTicks, _virtualTicks + StepTicks);
        Steps++;
        _idle.Clear();
        Monitor.PulseAll(_sync);
    }
}
