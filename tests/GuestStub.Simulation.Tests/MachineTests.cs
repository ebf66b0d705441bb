using System;
using System.Linq;
using System.Threading;
using GuestStub.Platform;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// The machine the domains share: its one CPU taken in turns (the same order on every run), its
/// counter (virtual time moves only when every domain is idle), dom0's power-off halting it, and
/// the host's safety bound on a run that would never end.
/// </summary>
public class MachineTests
{
    [Fact]
    public void The_same_machine_does_the_same_things_in_the_same_order_every_time()
    {
        string[][] Logs()
        {
            using MachineBoot boot = Machines.Boot(2);
            return boot.Machine.Domains.Select(d => d.CallLog.ToArray()).ToArray();
        }
        string[][] first = Logs();
        for (int i = 0; i < 3; i++)
            Assert.Equal(first, Logs());
    }

    [Fact]
    public void Time_does_not_jump_while_a_domain_works_and_the_others_wait_their_turn()
    {
        using var machine = new SimulatedMachine();
        SimulatedXen busy = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 1)));
        SimulatedXen waiting = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 2)));
        int waitingTurns = 0;
        bool done = false;
        TimeSpan virtualBefore = default, virtualAfter = default;
        ulong ticksBefore = 0, ticksAfter = 0;
        int turnsBefore = 0, turnsAfter = 0;
        machine.Run(
            SimulatedDomainRun.Custom(busy, () =>
            {
                var clock = new MachineTicks(busy.Clock);
                var irq = new SimulatedInterrupts(busy);
                irq.Idle(); // the other domain gets its first turn
                virtualBefore = busy.Clock.Virtual;
                ticksBefore = clock.ReadTicks();
                turnsBefore = Volatile.Read(ref waitingTurns);
                Thread.Sleep(20); // work: no idling, no hypercall
                Thread.Sleep(20);
                virtualAfter = busy.Clock.Virtual;
                ticksAfter = clock.ReadTicks();
                turnsAfter = Volatile.Read(ref waitingTurns);
                Volatile.Write(ref done, true);
            }),
            SimulatedDomainRun.Custom(waiting, () =>
            {
                var irq = new SimulatedInterrupts(waiting);
                while (!Volatile.Read(ref done))
                {
                    Interlocked.Increment(ref waitingTurns);
                    irq.Idle();
                }
            }));
        Assert.Equal(virtualBefore, virtualAfter);
        Assert.True(ticksAfter - ticksBefore >= busy.Clock.TicksPerSecond / 1000 * 40, "real time is counted");
        Assert.Equal(turnsBefore, turnsAfter);
    }

    [Fact]
    public void A_bound_runs_out_in_the_machines_time_when_everyone_waits()
    {
        using var machine = new SimulatedMachine();
        SimulatedXen a = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 1)));
        SimulatedXen b = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 2)));
        bool aDone = false;
        machine.Run(
            SimulatedDomainRun.Custom(a, () =>
            {
                var clock = new MachineTicks(a.Clock);
                var irq = new SimulatedInterrupts(a);
                Deadline bound = Deadline.After(ref clock, 60_000);
                while (!bound.Expired(ref clock))
                    irq.Idle();
                Volatile.Write(ref aDone, true);
            }),
            SimulatedDomainRun.Custom(b, () =>
            {
                var irq = new SimulatedInterrupts(b);
                while (!Volatile.Read(ref aDone))
                    irq.Idle();
            }));
        // The bound ran out in the machine's time, nearly all of it virtual.
        Assert.True(machine.Clock.Elapsed >= TimeSpan.FromSeconds(60));
        Assert.True(machine.Clock.Virtual >= TimeSpan.FromSeconds(30));
        // Jumps grow while nothing happens: far fewer than one per millisecond.
        Assert.True(machine.Clock.Steps < 60_000 / 10, $"{machine.Clock.Steps} steps");
    }

    [Fact]
    public void Dom0s_power_off_halts_the_machine_and_cuts_a_running_domain_short()
    {
        using var machine = new SimulatedMachine();
        byte[] dom0Dtb = Guests.Dom0();
        SimulatedXen dom0 = machine.Add(SimulatedBoot.CreateModel(dom0Dtb, ram => SimulatedXenOptions.ForDom0(ram)));
        SimulatedXen domU = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 1)));
        var results = machine.Run(
            SimulatedDomainRun.Stub(dom0, dom0Dtb),
            SimulatedDomainRun.Custom(domU, () =>
            {
                // Never grants, never finishes: dom0 gives up on it and powers the machine off.
                var irq = new SimulatedInterrupts(domU);
                while (true)
                    irq.Idle();
            }));
        Assert.Equal("timeout domain 1 still running", results[0].Report("domains.wait"));
        Assert.Null(results[0].CutOff);
        Assert.StartsWith("dom0 powered off while this domain was still running", results[1].CutOff);
        Assert.Equal(machine.Clock.Stopped, results[1].CutOff);
    }

    [Fact]
    public void A_domain_that_never_gives_the_cpu_away_is_stopped_at_the_hosts_bound_and_named()
    {
        using var machine = new SimulatedMachine(new SimulatedMachineOptions { WallClockBound = TimeSpan.FromMilliseconds(300) });
        SimulatedXen spinning = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 1)));
        SimulatedXen waiting = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 2)));
        var e = Assert.Throws<TimeoutException>(() => machine.Run(
            SimulatedDomainRun.Custom(spinning, () =>
            {
                var hc = new SimulatedHypercalls(spinning);
                while (true)
                    XenVersion.Query(ref hc, out _, out _);
            }),
            SimulatedDomainRun.Custom(waiting, () => { })));
        Assert.Contains("still running: d1 (last call: XENVER_version = 262161), d2 (no call yet)", e.Message);
        Assert.StartsWith("the host's wall-clock bound", machine.Clock.Stopped);
    }

    [Fact]
    public void An_exception_in_a_domain_is_rethrown_naming_it()
    {
        using var machine = new SimulatedMachine();
        SimulatedXen domU = machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 3)));
        var e = Assert.Throws<SimulatedXenException>(() => machine.Run(SimulatedDomainRun.Custom(domU, () => throw new InvalidOperationException("boom"))));
        Assert.Equal("d3: boom", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public void A_static_channel_naming_a_missing_domain_or_a_taken_port_is_refused_before_anything_runs()
    {
        using var machine = new SimulatedMachine(new SimulatedMachineOptions
        {
            StaticEventChannels = new[] { StaticEventChannel.Dom0ToDomU(1), new StaticEventChannel(0, 11, 2, 10) },
        });
        machine.Add(new SimulatedXen(SimulatedXenOptions.ForDom0(Array.Empty<GuestStub.Memory.PhysicalRange>())));
        machine.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 1)));
        var e = Assert.Throws<SimulatedXenException>(machine.BindStaticEventChannels);
        Assert.Equal("static event channel dom 0 port 11 <-> dom 2 port 10: no domain 2", e.Message);

        using var taken = new SimulatedMachine(new SimulatedMachineOptions
        {
            StaticEventChannels = new[] { StaticEventChannel.Dom0ToDomU(1), new StaticEventChannel(0, 11, 2, 10) },
        });
        taken.Add(new SimulatedXen(SimulatedXenOptions.ForDom0(Array.Empty<GuestStub.Memory.PhysicalRange>())));
        taken.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 1)));
        taken.Add(new SimulatedXen(SimulatedXenOptions.ForDomU(Array.Empty<GuestStub.Memory.PhysicalRange>(), 2)));
        e = Assert.Throws<SimulatedXenException>(taken.BindStaticEventChannels);
        Assert.Equal("static event channel: dom 0 port 11 is in use: -EBUSY", e.Message);
    }
}
