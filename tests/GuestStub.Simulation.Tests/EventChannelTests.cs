using GuestStub.Boot;
using System.Linq;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Events;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// Event channels end to end against the model: the upcall on the hypervisor node's PPI, the
/// loopback proof, teardown closing every port, and dom0's wait for the other domains.
/// </summary>
public class EventChannelTests
{
    [Theory]
    [InlineData(false, "16")]
    [InlineData(true, "31")]
    public void The_loopback_event_arrives_through_the_upcall_and_every_port_is_closed_after(bool domU, string ppi)
    {
        SimulatedXen? model = null;
        var r = domU ? Guests.BootDomU(Guests.DomU(null), m => model = m) : Guests.BootDom0(Guests.Dom0(), m => model = m);
        Assert.Equal(ppi, r.Report("evtchn.ppi"));
        Assert.Equal("ok", r.Report("evtchn.upcall"));
        Assert.True(ulong.Parse(r.Report("evtchn.upcall.latency_ticks")!) > 0);
        Assert.Equal("ok", r.Report("status"));
        Assert.Empty(r.BooksProblems); // includes: no event channel still open
        // The domid query's port is closed before the loopback allocates its own: both get port 1;
        // so does the domU's frontend, which allocates its port for dom0 after the loopback.
        Assert.Equal(domU ? 3 : 2, model!.CallLog.Count(l => l.StartsWith("EVTCHNOP_alloc_unbound") && l.EndsWith("-> port 1 = 0")));
        Assert.Contains(model.CallLog, l => l.StartsWith("EVTCHNOP_bind_interdomain(remote dom 32752, port 1) -> port 2"));
        Assert.Contains(model.CallLog, l => l.StartsWith("EVTCHNOP_send(port 2)"));
    }

    [Fact]
    public void An_event_on_another_interrupt_than_the_nodes_times_out_and_is_reported()
    {
        // The node says PPI 15 (INTID 31) but this Xen raises dom0's upcall on 16: no upcall is taken.
        var r = SimulatedBoot.Run(Guests.Dom0WithEventPpi(15), null, ram => SimulatedXenOptions.ForDom0(ram).WithUpcallIntId(16));
        Assert.Equal("31", r.Report("evtchn.ppi"));
        Assert.Equal($"nothing within {EventChannelStage.LoopbackBoundMs} ms port=1", r.Report("evtchn.upcall"));
        Assert.Equal($"error nothing within {EventChannelStage.LoopbackBoundMs} ms port=1", r.Report("status"));
        Assert.Equal("ok", r.Report("teardown"));
        Assert.Empty(r.BooksProblems);
    }

    [Theory]
    [InlineData(15u)]
    [InlineData(4u)]
    public void Dom0s_upcall_arrives_on_whatever_PPI_its_node_names(uint ppi)
    {
        // Real Xen raises the upcall on the PPI it wrote into the node, not always 16.
        var r = SimulatedBoot.Run(Guests.Dom0WithEventPpi(ppi), null, ram => SimulatedXenOptions.ForDom0(ram));
        Assert.Equal((16 + ppi).ToString(), r.Report("evtchn.ppi"));
        Assert.Equal("ok", r.Report("evtchn.upcall"));
        Assert.Equal("ok", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void Booting_twice_starts_the_second_boot_with_no_port_open()
    {
        byte[] dtb = Guests.Dom0();
        using SimulatedXen xen = SimulatedBoot.CreateModel(dtb, ram => SimulatedXenOptions.ForDom0(ram));
        var first = SimulatedBoot.Run(xen, dtb, null);
        var second = SimulatedBoot.Run(xen, dtb, null);
        Assert.Equal("ok", first.Report("evtchn.upcall"));
        Assert.Equal("ok", second.Report("evtchn.upcall"));
        Assert.Empty(second.BooksProblems);
        Assert.Empty(xen.OpenPorts());
    }

    [Fact]
    public void A_node_without_an_interrupt_skips_the_upcall_and_the_rest_of_the_boot_goes_on()
    {
        var r = Guests.BootDom0(Guests.Dom0WithoutInterrupt());
        Assert.Equal("skipped (no interrupt)", r.Report("evtchn.upcall"));
        Assert.Null(r.Report("evtchn.ppi"));
        Assert.Equal("ok", r.Report("grant.selftest"));
        Assert.Equal("ok", r.Report("status"));
        Assert.Empty(r.BooksProblems);
    }

    [Fact]
    public void Dom0_sees_the_other_domains_of_the_machine_and_finds_them_finished()
    {
        var machine = new SimulatedMachine();
        byte[] dom0Dtb = Guests.Dom0();
        using SimulatedXen dom0 = SimulatedBoot.CreateModel(dom0Dtb, ram => SimulatedXenOptions.ForDom0(ram));
        using SimulatedXen domU1 = SimulatedBoot.CreateModel(Guests.DomU(null), ram => SimulatedXenOptions.ForDomU(ram, 1));
        using SimulatedXen domU2 = SimulatedBoot.CreateModel(Guests.DomU(null), ram => SimulatedXenOptions.ForDomU(ram, 2));
        machine.Add(dom0);
        machine.Add(domU1);
        machine.Add(domU2);
        // The domUs power off first, as the real ones do before dom0 looks.
        foreach (SimulatedXen domU in new[] { domU1, domU2 })
        {
            var hc = new SimulatedHypercalls(domU);
            Assert.False(SchedOp.PowerOff(ref hc).IsFailure);
        }
        var r = SimulatedBoot.Run(dom0, dom0Dtb, null);
        Assert.Equal("2", r.Report("domains.others"));
        Assert.Equal("ok", r.Report("domains.wait"));
    }

    [Fact]
    public void A_domain_that_never_finishes_ends_the_wait_at_its_bound_naming_the_domain()
    {
        var machine = new SimulatedMachine();
        using SimulatedXen dom0 = SimulatedBoot.CreateModel(Guests.Dom0(), ram => SimulatedXenOptions.ForDom0(ram));
        using SimulatedXen domU = SimulatedBoot.CreateModel(Guests.DomU(null), ram => SimulatedXenOptions.ForDomU(ram, 1));
        machine.Add(dom0);
        machine.Add(domU);
        var platform = new FastIdlePlatform(new SimulatedGuestPlatform(dom0));
        OtherDomainsResult wait = OtherDomains.WaitForShutdown(ref platform, XenInterfaces.For(4, 17), 0, BootSession.OtherDomainsBoundMs);
        Assert.True(wait.TimedOut);
        Assert.Equal(1, wait.StillRunning);
        Assert.Equal(1, wait.Seen);
        Assert.True(platform.Idles > 0, "the wait never gave the CPU away");
        Assert.True(wait.WaitedTicks >= platform.TicksPerSecond() / 1000 * BootSession.OtherDomainsBoundMs);
    }

    /// <summary>The simulated platform with a clock that jumps 100 ms per read, so a 30 s bound
    /// passes in a few hundred reads, and an idle that only counts (nothing else runs).</summary>
    private unsafe struct FastIdlePlatform : IXenPlatform
    {
        private SimulatedGuestPlatform _inner;
        private ulong _now;
        public int Idles;

        public FastIdlePlatform(SimulatedGuestPlatform inner)
        {
            _inner = inner;
            _now = 0;
            Idles = 0;
        }

        public long Hypercall(ulong op, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) => _inner.Hypercall(op, a0, a1, a2, a3, a4);

        public byte* Page(ulong gfn) => _inner.Page(gfn);

        public bool BeginNormalAccess(GuestStub.Memory.PhysicalRange range) => _inner.BeginNormalAccess(range);

        public void EndNormalAccess(GuestStub.Memory.PhysicalRange range) => _inner.EndNormalAccess(range);

        public void WriteBarrier() => _inner.WriteBarrier();

        public ulong AtomicExchange(ulong* location, ulong value) => _inner.AtomicExchange(location, value);

        public ulong AtomicOr(ulong* location, ulong bits) => _inner.AtomicOr(location, bits);

        public ulong AtomicAndNot(ulong* location, ulong bits) => _inner.AtomicAndNot(location, bits);

        public ulong AtomicCompareExchange(ulong* location, ulong expected, ulong value) =>
            _inner.AtomicCompareExchange(location, expected, value);

        public bool Enable(uint intId) => true;

        public void Disable(uint intId)
        {
        }

        public void Idle() => Idles++;

        public ulong ReadTicks() => _now += 100_000;

        public readonly ulong TicksPerSecond() => 1_000_000;

        public ref EventChannels Events => ref _inner.Events;
    }
}
