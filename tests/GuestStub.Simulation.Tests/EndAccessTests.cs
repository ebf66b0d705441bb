using System;
using System.Linq;
using GuestStub.Memory;
using GuestStub.Peers;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Abi;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>
/// A frontend never ends foreign access while the backend still maps its page, and never reuses
/// a page that stays mapped (Linux gnttab_end_foreign_access). Dom0 here is a backend of the
/// test's own that keeps the mapping as long as it is told, then looks at the domU's grant entry
/// and at the page before it unmaps; the domU runs the stub.
/// </summary>
public unsafe class EndAccessTests
{
    private const ulong HostAddress = 0x4800_0000;
    private const ulong TableAddress = 0x4800_1000;

    /// <summary>What the backend saw at the end of its hold, just before unmapping.</summary>
    private sealed class Seen
    {
        public ushort EntryFlags;
        public bool PageIntact;
        public bool Replied;
    }

    /// <summary>Dom0's side: maps the frontend's ref (waiting for it to be granted), replies,
    /// binds the frontend's port and notifies, keeps the mapping for <paramref name="holdMs"/> of
    /// the machine's time, reads the frontend's entry through its acquired grant table and the
    /// page, then unmaps and closes.</summary>
    private static void HoldingBackend(SimulatedXen dom0, ushort peer, ulong holdMs, Seen seen)
    {
        var hc = new SimulatedHypercalls(dom0);
        var mem = new SimulatedMemory(dom0);
        var irq = new SimulatedInterrupts(dom0);
        var clock = new MachineTicks(dom0.Clock);
        Deadline showUp = Deadline.After(ref clock, Backend.ShowUpBoundMs);
        uint handle;
        while (GrantTable.MapGrantRef(ref hc, HostAddress, peer, PeerPage.FrontendRef, readOnly: false, out handle).IsFailure)
        {
            Assert.False(showUp.Expired(ref clock), "the frontend never granted its page");
            irq.Idle();
        }
        byte* page = mem.Page(HostAddress >> PageSize.Shift);
        Assert.True(PeerPage.IsIntact(page, peer));
        PeerPage.Reply(page, 0);
        Assert.False(EventChannelOp.BindInterdomain(ref hc, peer, PeerPage.Port(page), out uint port).IsFailure);
        Assert.False(EventChannelOp.Send(ref hc, port).IsFailure);

        Deadline hold = Deadline.After(ref clock, holdMs);
        while (!hold.Expired(ref clock))
            irq.Idle();

        Assert.False(ForeignMemory.AcquireGrantTableFrame(ref hc, peer, 0, TableAddress >> PageSize.Shift).IsFailure);
        seen.EntryFlags = ((GrantEntryV1*)mem.Page(TableAddress >> PageSize.Shift))[PeerPage.FrontendRef].Flags;
        Assert.False(XenMemory.RemoveFromPhysmap(ref hc, TableAddress >> PageSize.Shift).IsFailure);
        seen.PageIntact = PeerPage.IsIntact(page, peer);
        seen.Replied = PeerPage.HasReply(page);
        Assert.False(GrantTable.UnmapGrantRef(ref hc, HostAddress, handle).IsFailure);
        Assert.False(EventChannelOp.Close(ref hc, port).IsFailure);
    }

    private static (SimulatedBootResult DomU, SimulatedMachine Machine) Run(ulong holdMs, Seen seen, string? domUBootargs = null)
    {
        var machine = new SimulatedMachine();
        SimulatedXen dom0 = machine.Add(SimulatedBoot.CreateModel(Guests.Dom0(), ram => SimulatedXenOptions.ForDom0(ram)));
        byte[] domUDtb = Guests.DomU(null);
        SimulatedXen domU = machine.Add(SimulatedBoot.CreateModel(domUDtb, ram => SimulatedXenOptions.ForDomU(ram, 1)));
        var results = machine.Run(
            SimulatedDomainRun.Custom(dom0, () => HoldingBackend(dom0, 1, holdMs, seen)),
            SimulatedDomainRun.Stub(domU, domUDtb, domUBootargs));
        return (results.Single(r => r.Domid == 1), machine);
    }

    [Fact]
    public void The_frontend_waits_while_the_backend_keeps_its_mapping_and_ends_access_after()
    {
        var seen = new Seen();
        (SimulatedBootResult domU, SimulatedMachine machine) = Run(Frontend.UnmapBoundMs / 2, seen);
        using (machine)
        {
            // Half the bound later the entry still grants access and Xen still marks it in use.
            Assert.Equal(GrantEntryV1.GtfPermitAccess | GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting, seen.EntryFlags);
            Assert.True(seen.PageIntact && seen.Replied);
            Assert.Equal("ok", domU.Report("frontend.backend-reply"));
            Assert.Equal("ok", domU.Report("frontend.end-access"));
            Assert.Equal("ok", domU.Report("status"));
            Assert.Equal(0, machine.Find(1)!.GrantEntry(PeerPage.FrontendRef).Flags);
            Assert.True(machine.CheckBooks().Count == 0, string.Join("\n", machine.CheckBooks()));
        }
    }

    [Fact]
    public void A_mapping_kept_past_the_bound_is_reported_and_the_page_is_never_freed()
    {
        var seen = new Seen();
        (SimulatedBootResult domU, SimulatedMachine machine) = Run(Frontend.UnmapBoundMs + 10_000, seen);
        using (machine)
        {
            Assert.Equal("ok", domU.Report("frontend.backend-reply"));
            string endAccess = domU.Report("frontend.end-access")!;
            Assert.StartsWith($"nothing within {Frontend.UnmapBoundMs} ms idx={PeerPage.FrontendRef} gfn=0x", endAccess);
            Assert.Equal("error " + endAccess, domU.Report("status"));
            // The frontend gave up but did not end access: the entry still grants it, Xen still
            // marked it in use while dom0 mapped it, and the page was not handed out again.
            Assert.Equal(GrantEntryV1.GtfPermitAccess | GrantEntryV1.GtfReading | GrantEntryV1.GtfWriting, seen.EntryFlags);
            Assert.True(seen.PageIntact && seen.Replied);
            Assert.Contains("(page runs still allocated)", domU.Output);
            Assert.Equal(new[] { $"grant entry {PeerPage.FrontendRef} still permits access" }, domU.BooksProblems);
        }
    }

    [Fact]
    public void A_page_still_mapped_is_not_reused_by_a_later_run_of_the_boot()
    {
        // gueststub.boots=2: a second run would allocate its pages afresh while dom0 still maps
        // the first run's frontend page; a failed run is not repeated.
        var seen = new Seen();
        (SimulatedBootResult domU, SimulatedMachine machine) = Run(Frontend.UnmapBoundMs + 10_000, seen, "gueststub.boots=2");
        using (machine)
        {
            Assert.StartsWith($"nothing within {Frontend.UnmapBoundMs} ms", domU.Report("frontend.end-access"));
            Assert.Single(domU.ReportLines, l => l.StartsWith("report status "));
            Assert.True(seen.PageIntact, "a later run wrote into the page dom0 still maps:\n" + domU.Output);
        }
    }
}
