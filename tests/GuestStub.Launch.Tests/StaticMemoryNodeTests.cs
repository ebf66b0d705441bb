using System;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Launch.Domains;
using GuestStub.Launch.Machine;
using GuestStub.Launch.Running;
using Xunit;

namespace GuestStub.Launch.Tests;

/// <summary>
/// Static shared memory and static memory in the host tree (booting.txt, "Static Shared
/// Memory" and "Static Allocation"), as ImageBuilder writes them: built by the launcher on a
/// fixed base tree, compiled and decompiled by dtc, compared as dtc prints them.
/// </summary>
public class StaticMemoryNodeTests
{
    private static string Chosen(BootShape shape) => FakeCheckout.HostTreeSource(shape);

    /// <summary>The text of /chosen/domU<paramref name="i"/>'s block, its children included.</summary>
    private static string DomUBlock(string dts, int i)
    {
        int start = dts.IndexOf($"\t\tdomU{i} {{", StringComparison.Ordinal);
        Assert.True(start >= 0, dts);
        int end = dts.IndexOf("\n\t\t};", start, StringComparison.Ordinal);
        return dts[start..end];
    }

    private static readonly MemorySize TwoGiB = MemorySize.Gibibytes(2);

    [Fact]
    public void Static_shm_gives_both_domUs_the_CI_region_and_a_static_channel_to_each_other()
    {
        string dts = Chosen(new BootShape { DomUs = 2, StaticSharedMemory = true, Memory = TwoGiB });
        foreach (int i in new[] { 1, 2 })
        {
            Assert.Contains("""
                			domU-shared-mem@50000000 {
                				compatible = "xen,domain-shared-memory-v1";
                				xen,shm-id = "my-shared-mem-0";
                				xen,shared-mem = <0x00 0x50000000 0x00 0x4000000 0x00 0x10000000>;
                			};
                """.Replace("\r", ""), DomUBlock(dts, i));
            Assert.DoesNotContain("role", DomUBlock(dts, i));
        }
        // The channel: each end on port 20, naming the other end's phandle.
        int Phandle(string block, string node) =>
            Convert.ToInt32(Regex.Match(block, node + @" \{[^}]*phandle = <0x([0-9a-f]+)>").Groups[1].Value, 16);
        int Peer(string block, string node) =>
            Convert.ToInt32(Regex.Match(block, node + @" \{[^}]*xen,evtchn = <0x14 0x([0-9a-f]+)>").Groups[1].Value, 16);
        string one = DomUBlock(dts, 1), two = DomUBlock(dts, 2);
        Assert.Equal(Phandle(two, "evtchn-domu1"), Peer(one, "evtchn-domu2"));
        Assert.Equal(Phandle(one, "evtchn-domu2"), Peer(two, "evtchn-domu1"));
        Assert.Single(Regex.Matches(one, "xen,evtchn-v1"));
    }

    [Fact]
    public void With_Xen_choosing_the_host_memory_the_region_has_only_guest_address_and_size()
    {
        string dts = Chosen(new BootShape { DomUs = 2, StaticSharedMemory = true, StaticSharedMemoryXenAddress = true, Memory = TwoGiB });
        Assert.Contains("""
            			domU-shared-mem@4000000 {
            				compatible = "xen,domain-shared-memory-v1";
            				xen,shm-id = "my-shared-mem-0";
            				xen,shared-mem = <0x00 0x4000000 0x00 0x10000000>;
            """.Replace("\r", ""), DomUBlock(dts, 2));
    }

    [Fact]
    public void A_third_domU_has_no_share_of_the_region()
    {
        string dts = Chosen(new BootShape { DomUs = 3, StaticSharedMemory = true, Memory = TwoGiB });
        Assert.DoesNotContain("shared-mem", DomUBlock(dts, 3));
        Assert.DoesNotContain("evtchn", DomUBlock(dts, 3));
    }

    [Theory]
    [InlineData(false, "0x40000000-0x48000000", "0x70000000-0x78000000")]
    [InlineData(true, "0x60000000-0x68000000", "0x68000000-0x70000000")]
    public void Static_memory_is_a_bank_per_domU_and_each_domU_is_told_where_to_find_it(bool directMap, string first, string second)
    {
        string dts = Chosen(new BootShape { DomUs = 2, StaticMemory = true, DirectMap = directMap, Memory = TwoGiB });
        string one = DomUBlock(dts, 1), two = DomUBlock(dts, 2);
        Assert.Contains("#xen,static-mem-address-cells = <0x02>;", one);
        Assert.Contains("#xen,static-mem-size-cells = <0x02>;", one);
        Assert.Contains("xen,static-mem = <0x00 0x60000000 0x00 0x8000000>;", one);
        Assert.Contains("xen,static-mem = <0x00 0x68000000 0x00 0x8000000>;", two);
        Assert.Equal(directMap, one.Contains("direct-map;", StringComparison.Ordinal));
        Assert.Contains("memory = <0x00 0x20000>;", one);
        // Not direct-mapped, Xen maps each domU's bank at GUEST_RAM0_BASE, whatever its host address.
        if (!directMap)
            second = first;
        Assert.Contains($"gueststub.expect-mem={first}\"", one);
        Assert.Contains($"gueststub.expect-mem={second}\"", two);
    }

    [Fact]
    public void Static_banks_fill_guest_ram0_then_ram1_as_Xen_maps_them()
    {
        var banks = StaticMemoryBank.ParseList("0x80000000 0x80000000 0x200000000 0x60000000");
        Assert.Equal(new[] { (0x4000_0000UL, 0xC000_0000UL), (0x2_0000_0000UL, 0x2000_0000UL) }, StaticMemoryBank.GuestBanks(banks, directMap: false));
        Assert.Equal(new[] { (0x8000_0000UL, 0x8000_0000UL), (0x2_0000_0000UL, 0x6000_0000UL) }, StaticMemoryBank.GuestBanks(banks, directMap: true));
    }

    [Theory]
    [InlineData("my-shared-mem-0 0x50000000 0x4000000 0x10000000", 0x5000_0000UL)]
    [InlineData("my-shared-mem-0 0x4000000 0x10000000", null)]
    public void ImageBuilder_DOMU_SHARED_MEM_parses_with_and_without_the_host_address(string text, ulong? host)
    {
        StaticSharedMemory region = StaticSharedMemory.Parse(text);
        Assert.Equal(("my-shared-mem-0", host, 0x400_0000UL, 0x1000_0000UL), (region.Id, region.HostAddress, region.GuestAddress, region.SizeBytes));
    }

    [Theory]
    [InlineData("id 0x1000", "expected 'ID HOST_ADDR GUEST_ADDR SIZE'")]
    [InlineData("a-very-long-shm-id 0x1000 0x1000", "1 to 15 characters")]
    [InlineData("id 0x1000 0x1800", "non-zero multiple of 4 KiB")]
    [InlineData("id 0x1001 0x2000 0x1000", "host address 0x1001 is not 4 KiB aligned")]
    [InlineData("id 0x1000 zz", "'zz' is not a number")]
    public void A_malformed_DOMU_SHARED_MEM_names_what_is_wrong(string text, string message) =>
        Assert.Contains(message, Assert.Throws<LaunchException>(() => StaticSharedMemory.Parse(text)).Message);

    [Theory]
    [InlineData(1, true, false, false, "--static-shm shares a region between two domUs")]
    [InlineData(2, false, true, false, "--static-shm-xen-address is a form of --static-shm")]
    [InlineData(2, false, false, true, "--direct-map needs --static-mem")]
    [InlineData(7, true, false, false, "--static-shm: at most 6 domUs (the images of more would load into the region at 0x50000000)")]
    public void Impossible_static_combinations_name_themselves(int domUs, bool shm, bool xenAddress, bool directMap, string message) =>
        Assert.Contains(message, Assert.Throws<LaunchException>(() =>
            new BootShape { DomUs = domUs, StaticSharedMemory = shm, StaticSharedMemoryXenAddress = xenAddress, DirectMap = directMap, Memory = TwoGiB }.Validate()).Message);

    [Fact]
    public void The_static_layout_must_lie_in_the_machine_memory()
    {
        var e = Assert.Throws<LaunchException>(() => new BootShape { DomUs = 2, StaticMemory = true, Memory = MemorySize.Mebibytes(512) }.Validate());
        Assert.Contains("need the machine's RAM to reach 0x70000000: --memory 2G or more, not 512M", e.Message);
    }

    [Fact]
    public void Static_memory_that_does_not_add_up_to_the_domU_memory_is_refused()
    {
        var domU = new DomU("x") { StaticMemory = StaticMemoryBank.ParseList("0x60000000 0x4000000") };
        Assert.Contains("add up to 64 MiB but the domU's memory is 128M", Assert.Throws<LaunchException>(() => domU.Validate()).Message);
    }

    [Fact]
    public void A_direct_mapped_domU_shares_memory_only_at_its_host_address()
    {
        var domU = new DomU("x")
        {
            StaticMemory = new[] { new StaticMemoryBank(0x6000_0000, 0x800_0000) },
            DirectMap = true,
            SharedMemory = new[] { StaticSharedMemory.Parse("id 0x50000000 0x4000000 0x1000") },
        };
        Assert.Contains("host address == guest address", Assert.Throws<LaunchException>(() => domU.Validate()).Message);
    }
}
