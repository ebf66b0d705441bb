using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GuestStub.Platform;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

/// <summary>
/// The DTBs Xen 4.17 built for dom0 and for a dom0less domU (tests/fixtures/xen, captured by
/// capture.sh with QMP pmemsave/memsave at the address Xen logged) hold what Xen's log beside
/// them says it put there: the DTB range, RAM banks, region 0, the extended regions and the
/// event-channel PPI. (The differential, allocation and fuzz tests run on them too: they are
/// fixtures like the .dts ones.)
/// </summary>
public class CapturedXenTreeTests
{
    // Xen logs no grant-table range and no event-channel PPI for a dom0less domU: it uses the
    // fixed guest layout of xen/include/public/arch-arm.h.
    private const ulong GuestGnttabBase = 0x38000000, GuestGnttabSize = 0x01000000;
    private const uint GuestEvtchnPpi = 31;

    private sealed record XenLog(string Domain, PhysicalRange Dtb, List<PhysicalRange> Banks,
        PhysicalRange? GrantTable, List<PhysicalRange> ExtendedRegions, uint? EventChannelPpi);

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static PhysicalRange Range(string start, string endExclusive)
    {
        Assert.True(PhysicalRange.TryCreate(Hex(start), Hex(endExclusive) - Hex(start), out PhysicalRange range));
        return range;
    }

    /// <summary>The lines of <paramref name="log"/> about <paramref name="domain"/> ("d0", "d1").</summary>
    private static XenLog Parse(string log, string domain)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepoPaths.XenFixtures, log));
        Match dtb = lines.Select(l => Regex.Match(l, $@"^\(XEN\) Loading {domain} DTB to 0x([0-9a-f]+)-0x([0-9a-f]+)$")).Single(m => m.Success);
        // Dom0's banks are logged without a domain prefix, a domU's with one.
        string bankPrefix = domain == "d0" ? "" : domain + " ";
        var banks = lines.Select(l => Regex.Match(l, $@"^\(XEN\) {bankPrefix}BANK\[\d+\] 0x([0-9a-f]+)-0x([0-9a-f]+) ")).Where(m => m.Success)
            .Select(m => Range(m.Groups[1].Value, m.Groups[2].Value)).ToList();
        var regions = lines.Select(l => Regex.Match(l, $@"^\(XEN\) {domain}: extended region (\d+): 0x([0-9a-f]+)->0x([0-9a-f]+)$")).Where(m => m.Success)
            .Select(m => (Index: int.Parse(m.Groups[1].Value), Range: Range(m.Groups[2].Value, m.Groups[3].Value))).ToList();
        Assert.Equal(Enumerable.Range(0, regions.Count), regions.Select(r => r.Index));
        PhysicalRange? grant = null;
        uint? ppi = null;
        if (domain == "d0")
        {
            Match g = lines.Select(l => Regex.Match(l, @"^\(XEN\) Grant table range: 0x([0-9a-f]+)-0x([0-9a-f]+)$")).Single(m => m.Success);
            grant = Range(g.Groups[1].Value, g.Groups[2].Value);
            Match p = lines.Select(l => Regex.Match(l, @"^\(XEN\) Allocating PPI (\d+) for event channel interrupt$")).Single(m => m.Success);
            ppi = uint.Parse(p.Groups[1].Value);
        }
        return new XenLog(domain, Range(dtb.Groups[1].Value, dtb.Groups[2].Value), banks, grant,
            regions.Select(r => r.Range).ToList(), ppi);
    }

    private static List<PhysicalRange> List(in PhysicalRangeList list)
    {
        var result = new List<PhysicalRange>();
        for (int i = 0; i < list.Count; i++)
            result.Add(list[i]);
        return result;
    }

    private static List<PhysicalRange> List(in AddressSizeList list)
    {
        var result = new List<PhysicalRange>();
        for (int i = 0; i < list.Count; i++)
        {
            Assert.True(list.TryGetRange(i, out PhysicalRange range));
            result.Add(range);
        }
        return result;
    }

    private static void AssertTreeMatchesLog(string fixture, XenLog log, PhysicalRange regionZero, uint eventChannelIntId)
    {
        byte[] blob = Tools.Dtb(fixture);
        // The file is exactly the logged range: "Loading dN DTB to start-(start + totalsize)".
        Assert.Equal(log.Dtb.SizeBytes, (ulong)blob.Length);
        DtbStatus status = Dtb.Open(blob, out Dtb tree);
        Assert.True(status.IsOk, $"{status.Error} at {status.Offset}");
        Assert.Equal((ulong)tree.TotalSize, log.Dtb.SizeBytes);

        Assert.True(BootFacts.Read(tree, log.Dtb, default, out BootFacts facts).IsOk);
        Assert.Equal(log.Banks, List(facts.Memory));
        Assert.Contains(log.Dtb, List(facts.Reserved));

        Assert.True(facts.Hypervisor.Found);
        Assert.Equal("4.17"u8.ToArray(), facts.Hypervisor.Version.ToArray());
        List<PhysicalRange> regions = List(facts.Hypervisor.Regions);
        Assert.Equal(regionZero, regions[0]);
        Assert.NotEmpty(log.ExtendedRegions);
        Assert.Equal(log.ExtendedRegions, regions.Skip(1));

        Assert.True(facts.Hypervisor.HasEventChannelInterrupt);
        Assert.True(facts.Hypervisor.EventChannelInterrupt.TryGetGicIntId(out uint intId));
        Assert.Equal(eventChannelIntId, intId);
    }

    [Fact]
    public void Dom0_tree_holds_what_the_xen_log_says()
    {
        XenLog log = Parse("dom0.xen.log", "d0");
        // The values PLATFORM.md records for -m 1G, dom0_mem=128M, as a check on the parsing.
        Assert.Equal(new[] { Range("70000000", "78000000") }, log.Banks);
        Assert.Equal(Range("40200000", "40240000"), log.GrantTable);
        Assert.Equal(new[] { Range("40400000", "70000000"), Range("78000000", "80000000") }, log.ExtendedRegions);
        AssertTreeMatchesLog(Tools.CapturedPrefix + "dom0", log, log.GrantTable!.Value, log.EventChannelPpi!.Value);
    }

    [Fact]
    public void Domu_tree_holds_what_the_xen_log_says()
    {
        XenLog log = Parse("domu.xen.log", "d1");
        Assert.Equal(new[] { Range("40000000", "48000000") }, log.Banks);
        Assert.Equal(new[] { Range("48000000", "100000000"), Range("200000000", "10000000000") }, log.ExtendedRegions);
        Assert.True(PhysicalRange.TryCreate(GuestGnttabBase, GuestGnttabSize, out PhysicalRange regionZero));
        AssertTreeMatchesLog(Tools.CapturedPrefix + "domu", log, regionZero, GuestEvtchnPpi);
    }

    [Fact]
    public void Domu_gic_has_zero_address_cells_and_the_tree_is_still_valid()
    {
        // Why the validator accepts #address-cells = <0> on a node whose children have no reg.
        Assert.True(Dtb.Open(Tools.Dtb(Tools.CapturedPrefix + "domu"), out Dtb tree).IsOk);
        Assert.True(tree.TryFindCompatible("arm,gic-v3"u8, default, out DtNode gic));
        Assert.True(tree.TryGetU32(gic, "#address-cells"u8, out uint cells));
        Assert.Equal(0u, cells);
    }
}
