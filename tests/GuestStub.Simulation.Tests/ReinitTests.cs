using GuestStub.Boot;
using GuestStub.Memory;
using GuestStub.Xen;
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
        Assert.Equal("ok", first.Report("status"));
        Assert.Equal("ok", second.Report("status"));
        Assert.Equal(first.Report("grant.range"), second.Report("grant.range"));
        Assert.Empty(second.BooksProblems);
    }

    [Fact]
    public void A_second_mapping_without_remove_is_refused_with_ebusy()
    {
        using var xen = new SimulatedXen(SimulatedXenOptions.ForDom0(new[] { Range(0x5000_0000, 0x100_0000) }));
        var hv = new SimulatedHypervisor(xen);
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
        var hv = new SimulatedHypervisor(xen);
        var ram = new PhysicalRangeList();
        ram.TryAdd(Range(0x5000_0000, 0x2000_0000));
        var regions = new AddressSizeList();
        regions.TryAdd(0x4020_0000, 0x4_0000);
        var reserved = new PhysicalRangeList();

        var pages = new RamPageAllocator(ram, reserved);
        var setup = new XenSetup();
        Assert.False(setup.Init(ref hv, ref pages, ram, reserved, regions, default).IsFailure);

        // A later stage that skipped the teardown: its shared_info at another page gets -EBUSY.
        var otherPages = new RamPageAllocator(ram, reserved);
        otherPages.TryAllocate(1, out _);
        var again = new XenSetup();
        XenFailure f = again.Init(ref hv, ref otherPages, ram, reserved, regions, default);
        Assert.Equal(XenCall.AddToPhysmapSharedInfo, f.Call);
        Assert.Equal(-(long)XenErrno.EBUSY, f.Value);

        Assert.False(setup.Teardown(ref hv, ref pages).IsFailure);
        Assert.Equal(0, pages.OutstandingRuns);
        var third = new XenSetup();
        Assert.False(third.Init(ref hv, ref pages, ram, reserved, regions, default).IsFailure);
        Assert.False(third.Teardown(ref hv, ref pages).IsFailure);
        Assert.Empty(xen.CheckBooks());
    }

    private static PhysicalRange Range(ulong start, ulong size)
    {
        PhysicalRange.TryCreate(start, size, out PhysicalRange r);
        return r;
    }
}
