using System;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

/// <summary>The reader must be fit for the guest, which has no garbage collector: opening,
/// validating, walking and reading boot facts allocate nothing.</summary>
public class AllocationTests
{
    [Theory]
    [ClassData(typeof(TheoryDataFixtures))]
    public void Open_validate_walk_and_boot_facts_allocate_nothing(string fixture)
    {
        byte[] blob = Tools.Dtb(fixture);
        DtbExerciser.Run(blob);      // warm-up: JIT, static data
        long before = GC.GetAllocatedBytesForCurrentThread();
        long checksum = DtbExerciser.Run(blob);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    [Fact]
    public void Rejecting_a_malformed_blob_allocates_nothing()
    {
        byte[] blob = (byte[])Tools.Dtb("xen-many-regions").Clone();
        blob[blob.Length - 1] = (byte)'x';       // unterminates the last property name
        Assert.Equal(DtbError.BadPropertyName, Dtb.Open(blob, out _).Error);
        DtbExerciser.Run(blob);
        long before = GC.GetAllocatedBytesForCurrentThread();
        DtbExerciser.Run(blob);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
