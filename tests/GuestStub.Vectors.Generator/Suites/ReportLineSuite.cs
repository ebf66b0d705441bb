using System;
using System.Collections.Generic;
using GuestStub.DeviceTree;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// tests/vectors/report-lines.vec: the report layer's and TextFormat's formatting, exact text.
/// The numbers at the edges (0, 2^64 - 1, the most negative long) are where a guest's 64-bit
/// division or negation would go wrong first. The extended-region report of the worked example
/// and of rejected regions was RegistrationTests' (there partly as "contains" checks, here whole).
/// </summary>
public static class ReportLineSuite
{
    public const string FileName = "report-lines.vec";

    public static byte[] Build()
    {
        var file = new VectorFileWriter();
        void Numeric(string name, string function, string expected, params ulong[] arguments)
        {
            VectorFileWriter.Record r = file.Add(VectorSuite.ReportLines, name).Text(VectorTag.Function, function);
            foreach (ulong a in arguments)
                r.U64(VectorTag.Argument, a);
            r.Text(VectorTag.Expected, expected).End();
        }
        void Keyed(string name, string function, string key, string expected, params ulong[] arguments)
        {
            VectorFileWriter.Record r = file.Add(VectorSuite.ReportLines, name).Text(VectorTag.Function, function).Text(VectorTag.Key, key);
            foreach (ulong a in arguments)
                r.U64(VectorTag.Argument, a);
            r.Text(VectorTag.Expected, expected).End();
        }

        Numeric("hex 0", "text.hex", "0x0", 0);
        Numeric("hex 0xf", "text.hex", "0xf", 0xf);
        Numeric("hex 0x10", "text.hex", "0x10", 0x10);
        Numeric("hex 0x40200000", "text.hex", "0x40200000", 0x40200000);
        Numeric("hex 2^64 - 1", "text.hex", "0xffffffffffffffff", ulong.MaxValue);
        Numeric("hex 2^63", "text.hex", "0x8000000000000000", 1UL << 63);
        Numeric("decimal 0", "text.decimal", "0", 0);
        Numeric("decimal 9", "text.decimal", "9", 9);
        Numeric("decimal 10", "text.decimal", "10", 10);
        Numeric("decimal 32767", "text.decimal", "32767", 32767);
        Numeric("decimal 10^19", "text.decimal", "10000000000000000000", 10_000_000_000_000_000_000);
        Numeric("decimal 2^64 - 1", "text.decimal", "18446744073709551615", ulong.MaxValue);
        Numeric("signed -12 (an errno)", "text.signed", "-12", unchecked((ulong)-12L));
        Numeric("signed 0", "text.signed", "0", 0);
        Numeric("signed most negative", "text.signed", "-9223372036854775808", 1UL << 63);
        Numeric("signed most positive", "text.signed", "9223372036854775807", long.MaxValue);
        Numeric("size 0", "text.size", "0 bytes", 0);
        Numeric("size 7183 bytes", "text.size", "7183 bytes", 7183);
        Numeric("size 228 KiB", "text.size", "228 KiB", 228 * 1024);
        Numeric("size 128 MiB", "text.size", "128 MiB", 128UL << 20);
        Numeric("size 764 MiB", "text.size", "764 MiB", 764UL << 20);
        Numeric("size 1 GiB + 4 KiB", "text.size", "1048580 KiB", (1UL << 30) + 4096);
        Numeric("size 1 TiB", "text.size", "1 TiB", 1UL << 40);
        Numeric("size 2^64 - 4096", "text.size", "18014398509481980 KiB", ulong.MaxValue - 4095);
        Numeric("range dom0 RAM", "text.range", "0x70000000-0x78000000", 0x70000000, 0x8000000);
        Numeric("range empty", "text.range", "0x0-0x0", 0, 0);
        Numeric("range to the top", "text.range", "0xfffffffffffff000-0xffffffffffffffff", 0xfffffffffffff000, 0xfff);
        Keyed("report hex", "report.hex", "xen.features", "report xen.features 0x26805\n", 0x26805);
        Keyed("report decimal", "report.decimal", "scratch.pages.free", "report scratch.pages.free 32767\n", 32767);
        Keyed("report range", "report.range", "grant.region0", "report grant.region0 0x40200000-0x40240000\n", 0x40200000, 0x40000);
        file.Add(VectorSuite.ReportLines, "report write").Text(VectorTag.Function, "report.write").Text(VectorTag.Key, "hypervisor")
            .Text(VectorTag.Text, "xen-4.17").Text(VectorTag.Expected, "report hypervisor xen-4.17\n").End();
        Numeric("DTB error wording", "dtb.error", "bad magic (not a DTB) at byte offset 0x0", (ulong)DtbError.BadMagic, 0);
        Numeric("DTB error wording with an offset", "dtb.error", "property name offset outside the strings block at byte offset 0x6c",
            (ulong)DtbError.BadStringOffset, 0x6c);
        Numeric("DTB error wording of no error", "dtb.error", "no error at byte offset 0x0", (ulong)DtbError.None, 0);
        // Issue 13's causes, the last in the guest's table of phrases.
        Numeric("DTB error wording of a bad property-name character", "dtb.error",
            "property name character outside the spec's set at byte offset 0x10b", (ulong)DtbError.BadPropertyCharacter, 0x10b);
        Numeric("DTB error wording of a duplicate property", "dtb.error", "property name twice in one node at byte offset 0x50",
            (ulong)DtbError.DuplicateProperty, 0x50);
        // Issue 22's causes.
        Numeric("DTB error wording of a duplicate node", "dtb.error", "node name twice under one parent at byte offset 0x1a4",
            (ulong)DtbError.DuplicateNode, 0x1a4);
        Numeric("DTB error wording of the child-name bound", "dtb.error",
            "more child nodes than the duplicate check holds (2048 under the open nodes) at byte offset 0x8038",
            (ulong)DtbError.TooManyChildNodes, 0x8038);

        RegionReport(file, "extended-region report of the worked example", "report.ext",
            RegionCase.Of(ExtendedRegionSuite.Va48, ExtendedRegionSuite.WorkedGrant, ExtendedRegionSuite.WorkedRegions),
            "report ext.region 0x0-0x8000000\n" +
            "report ext.region 0xc000000-0x30000000\n" +
            "report ext.region 0x40000000-0x47e00000\n" +
            "report ext.region 0xd0000000-0xe6000000\n" +
            "report ext.region 0xe7800000-0xec000000\n" +
            "report ext.region 0xf1200000-0xfd000000\n" +
            "report ext.region 0x100000000-0x500000000\n" +
            "report ext.region 0x580000000-0x600000000\n" +
            "report ext.region 0x680000000-0x700000000\n" +
            "report ext.region 0x780000000-0x10000000000\n" +
            "report ext.clamp 0x40000000-0x800040000000\n" +
            "report ext.resource 0x40000000-0x10000000000\n" +
            "report ext.hole 0x47e00000-0xd0000000\n" +
            "report ext.hole 0xe6000000-0xe7800000\n" +
            "report ext.hole 0xec000000-0xf1200000\n" +
            "report ext.hole 0xfd000000-0x100000000\n" +
            "report ext.hole 0x500000000-0x580000000\n" +
            "report ext.hole 0x600000000-0x680000000\n" +
            "report ext.hole 0x700000000-0x780000000\n");
        RegionReport(file, "extended-region summary of the worked example", "report.ext.progress",
            RegionCase.Of(ExtendedRegionSuite.Va48, ExtendedRegionSuite.WorkedGrant, ExtendedRegionSuite.WorkedRegions),
            "GuestStub: extended regions: 10 found, target resource 0x40000000-0x10000000000 (7 holes, clamped to 0x40000000-0x800040000000)\n");
        RegionReport(file, "extended-region report of malformed regions", "report.ext", ExtendedRegionSuite.MalformedRegions(),
            "report ext.region 0x40000000-0x50000000\n" +
            "report ext.region 0x50000000-0x50000000\n" +
            "report ext.region 0x60000800-0x61000800\n" +
            "report ext.region 0x70000000-0x71000800\n" +
            "report ext.region 0x80000000-0x90000000\n" +
            "report ext.region 0xfffffffffff00000+0x200000\n" +
            "report ext.rejected 0x50000000-0x50000000 zero-size\n" +
            "report ext.rejected 0x60000800-0x61000800 misaligned\n" +
            "report ext.rejected 0x70000000-0x71000800 misaligned\n" +
            "report ext.rejected 0xfffffffffff00000+0x200000 end-overflow\n" +
            "report ext.clamp 0x0-0x8000000000\n" +
            "report ext.resource 0x40000000-0x90000000\n" +
            "report ext.hole 0x50000000-0x80000000\n");
        RegionReport(file, "extended-region report of regions over occupied space", "report.ext", ExtendedRegionSuite.OccupiedOverlaps(),
            "report ext.region 0x30000000-0x38200000\n" +
            "report ext.region 0x40000000-0x47e00000\n" +
            "report ext.region 0x4fe00000-0x50000000\n" +
            "report ext.region 0x60000000-0x70000000\n" +
            "report ext.region 0x70000000-0x80000000\n" +
            "report ext.region 0x90000000-0xa0000000\n" +
            "report ext.region 0x100000000-0x140000000\n" +
            "report ext.rejected 0x30000000-0x38200000 overlaps-grant-table 0x38000000-0x39000000\n" +
            "report ext.rejected 0x40000000-0x47e00000 overlaps-ram 0x40000000-0x48000000\n" +
            "report ext.rejected 0x4fe00000-0x50000000 overlaps-dtb 0x4fe00000-0x4fe02000\n" +
            "report ext.rejected 0x70000000-0x80000000 overlaps-reserved 0x7fff0000-0x80000000\n" +
            "report ext.rejected 0x90000000-0xa0000000 overlaps-image 0x90080000-0x900a0000\n" +
            "report ext.clamp 0x0-0x8000000000\n" +
            "report ext.resource 0x60000000-0x140000000\n" +
            "report ext.hole 0x70000000-0x100000000\n");
        RegionReport(file, "extended-region report of a clamp below every region", "report.ext",
            RegionCase.Of(ExtendedRegionSuite.Below(1UL << 32), Span64.FromBounds(0x38000000, 0x39000000), (0x100000000, 0x200000000)),
            "report ext.region 0x100000000-0x200000000\n" +
            "report ext.clamp 0x0-0x100000000\n" +
            "report ext.resource none outside-clamp\n");
        RegionReport(file, "extended-region report of an overlapping pair", "report.ext",
            RegionCase.Of(ExtendedRegionSuite.Below(1UL << 39), Span64.FromBounds(0x38000000, 0x39000000),
                (0x40000000, 0x50000000), (0x60000000, 0x70000000), (0x6fe00000, 0x80000000)),
            "report ext.region 0x40000000-0x50000000\n" +
            "report ext.region 0x60000000-0x70000000\n" +
            "report ext.region 0x6fe00000-0x80000000\n" +
            "report ext.clamp 0x0-0x8000000000\n" +
            "report ext.resource none overlap 2 3\n");
        RegionReport(file, "extended-region report of a descending pair", "report.ext",
            RegionCase.Of(ExtendedRegionSuite.Below(1UL << 39), Span64.FromBounds(0x38000000, 0x39000000),
                (0x60000000, 0x70000000), (0x40000000, 0x50000000)),
            "report ext.region 0x60000000-0x70000000\n" +
            "report ext.region 0x40000000-0x50000000\n" +
            "report ext.clamp 0x0-0x8000000000\n" +
            "report ext.resource none disorder 1 2\n");
        RegionReport(file, "extended-region report when every region is rejected", "report.ext",
            RegionCase.Of(ExtendedRegionSuite.Below(1UL << 39), Span64.FromBounds(0x38000000, 0x39000000), (0x40000000, 0x50000000))
                with { Ram = new List<Span64> { Span64.FromBounds(0x40000000, 0x80000000) } },
            "report ext.region 0x40000000-0x50000000\n" +
            "report ext.rejected 0x40000000-0x50000000 overlaps-ram 0x40000000-0x80000000\n" +
            "report ext.clamp 0x0-0x8000000000\n" +
            "report ext.resource none all-rejected\n");
        return file.Build();
    }

    private static void RegionReport(VectorFileWriter file, string name, string function, RegionCase c, string expected) =>
        c.Fields(file.Add(VectorSuite.ReportLines, name).Text(VectorTag.Function, function)).Text(VectorTag.Expected, expected).End();
}
