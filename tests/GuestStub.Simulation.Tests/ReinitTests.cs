using System.Text;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Xen;
using GuestStub.Xen.Setup;
using Xunit;

namespace GuestStub.Simulation.Tests;

/// <summary>Teardown leaves Xen ready for the next stage: a second initialisation succeeds,
/// where skipping the teardown would get -EBUSY from Xen 4.17.</summary>
public class ReinitTests
{
    [Theory]
    [InlineData(false, null)]
    [InlineData(false, "gnttab=ballooned")]
    [InlineData(true, "gueststub.domid=1")]
    [InlineData(true, "gueststub.domid=1 gnttab=ballooned")]
    public void Booting_twice_on_the_same_xen_succeeds(bool domU, string? bootargs)
    {
        byte[] dtb = domU ? Guests.DomU(bootargs) : Guests.Dom0(bootargs);
        using SimulatedXen xen = SimulatedBoot.CreateModel(dtb, ram => domU ? SimulatedXenOptions.ForDomU(ram) : SimulatedXenOptions.ForDom0(ram));
        var first = SimulatedBoot.Run(xen, dtb, null);
        var second = SimulatedBoot.Run(xen, dtb, null);
        // A domU alone has no dom0 to publish to: its frontend is skipped, not an error (the
        // machine with dom0 boots twice in MultiDomainTests).
        Assert.Equal("ok", first.Report("status"));
        Assert.Equal("ok", second.Report("status"));
        Assert.Equal(first.Report("grant.range"), second.Report("grant.range"));
        Assert.Empty(second.BooksProblems);
    }

    [Fact]
    public void A_second_mapping_without_remove_is_refused_with_ebusy()
    {
        using var xen = new SimulatedXen(SimulatedXenOptions.ForDom0(new[] { Range(0x5000_0000, 0x100_0000) }));
        var hv = new SimulatedHypercalls(xen);
        Assert.False(XenMemory.AddToPhysmap(ref hv, XenMapSpace.GrantTable, 0, 0x40200).IsFailure);
        XenFailure f = XenMemory.AddToPhysmap(ref hv, XenMapSpace.GrantTable, 0, 0x40300);
        Assert.Equal(XenFailureCause.Errno, f.Cause);
        Assert.Equal(-(long)XenErrno.EBUSY, f.Value);
        Assert.False(XenMemory.RemoveFromPhysmap(ref hv, 0x40200).IsFailure);
        Assert.False(XenMemory.AddToPhysmap(ref hv, XenMapSpace.GrantTable, 0, 0x40300).IsFailure);
        Assert.Equal(-(long)XenErrno.EINVAL, XenMemory.AddToPhysmap(ref hv, XenMapSpace.GrantTable, 64, 0x40301).Value);
    }

    [Fact]
    public void Init_twice_without_teardown_fails_and_init_after_teardown_succeeds()
    {
        byte[] dtb = Guests.Dom0();
        using SimulatedXen xen = SimulatedBoot.CreateModel(dtb, ram => SimulatedXenOptions.ForDom0(ram));
        var hv = new SimulatedHypercalls(xen);
        var mem = new SimulatedMemory(xen);
        BootDtb boot = SimulatedBoot.Open(dtb, new GuestPlacement(), false, default);
        BootFacts facts = boot.Facts;
        BootOptions options = boot.Options;

        var pages = new RamPageAllocator(facts.Memory, facts.Reserved);
        XenSetupResult setup = XenSetup.Run(ref hv, ref mem, ref pages, facts, options);
        Assert.False(setup.Failure.IsFailure);

        // A later stage that skipped the teardown: its shared_info at another page gets -EBUSY.
        var otherPages = new RamPageAllocator(facts.Memory, facts.Reserved);
        otherPages.TryAllocate(1, out _);
        XenSetupResult again = XenSetup.Run(ref hv, ref mem, ref otherPages, facts, options);
        Assert.Equal(XenCall.AddToPhysmapSharedInfo, again.Failure.Call);
        Assert.Equal(-(long)XenErrno.EBUSY, again.Failure.Value);
        Assert.False(again.UndoFailure.IsFailure);

        Assert.False(XenSetup.Teardown(ref hv, ref mem, ref pages, setup).IsFailure);
        Assert.Equal(0, pages.OutstandingRuns);
        XenSetupResult third = XenSetup.Run(ref hv, ref mem, ref pages, facts, options);
        Assert.False(third.Failure.IsFailure);
        Assert.False(XenSetup.Teardown(ref hv, ref mem, ref pages, third).IsFailure);
        Assert.Empty(xen.CheckBooks());
    }

    private static PhysicalRange Range(ulong start, ulong size)
    {
        PhysicalRange.TryCreate(start, size, out PhysicalRange r);
        return r;
    }
}
