using System;
using System.Collections.Generic;
using System.Linq;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// tests/vectors/extended-regions.vec: the patch review's worked example and the cases
/// RegistrationTests held inline (clamps, disorder, overlap, malformed regions, regions over
/// occupied space, capacity), Xen's real dom0 layout, then random sets. The expected text of
/// every one comes from <see cref="ExtendedRegionModel"/>.
/// </summary>
public static class ExtendedRegionSuite
{
    public const string FileName = "extended-regions.vec";

    public const int RandomSets = 48;

    private static (ulong, ulong) R(ulong start, ulong end) => (start, end);

    private static Span64 B(ulong start, ulong end) => Span64.FromBounds(start, end);

    /// <summary>Everything below a limit: AddressableRange.BelowLimit.</summary>
    public static Span64 Below(ulong limit) => new(0, limit);

    /// <summary>Region 0 of the worked example, placed in a gap so it overlaps none of the regions.</summary>
    public static readonly Span64 WorkedGrant = B(0x38000000, 0x39000000);

    /// <summary>The regions of the patch review's worked example (shared/PLATFORM.md).</summary>
    public static readonly (ulong, ulong)[] WorkedRegions =
    {
        R(0x0, 0x8000000), R(0xc000000, 0x30000000), R(0x40000000, 0x47e00000),
        R(0xd0000000, 0xe6000000), R(0xe7800000, 0xec000000), R(0xf1200000, 0xfd000000),
        R(0x100000000, 0x500000000), R(0x580000000, 0x600000000), R(0x680000000, 0x700000000),
        R(0x780000000, 0x10000000000),
    };

    /// <summary>Linux's mhp range for a 48-bit VA with RAM from 0x40000000: 0x40000000 - 0x80003fffffff.</summary>
    public static readonly Span64 Va48 = B(0x40000000, 0x800040000000);

    public static IEnumerable<(string Name, RegionCase Case)> FixedCases()
    {
        yield return ("worked example, 48-bit VA clamp", RegionCase.Of(Va48, WorkedGrant, WorkedRegions));
        yield return ("worked example without a lower clamp", RegionCase.Of(Below(1UL << 48), WorkedGrant, WorkedRegions));
        yield return ("dom0less domU's 1 TiB region clamped to the 512 GiB identity map",
            RegionCase.Of(Below(1UL << 39), B(0x38000000, 0x39000000), R(0x48000000, 0x100000000), R(0x200000000, 0x10000000000)));
        yield return ("Xen 4.17 dom0 with -m 1G dom0_mem=128M",
            RegionCase.Of(Below(1UL << 39), B(0x40200000, 0x40240000), R(0x40400000, 0x70000000), R(0x78000000, 0x80000000))
                with { Ram = new List<Span64> { B(0x70000000, 0x78000000) } });
        yield return ("clamp below every region", RegionCase.Of(Below(1UL << 32), B(0x38000000, 0x39000000), R(0x100000000, 0x200000000)));
        yield return ("overlapping pair rejects the set",
            RegionCase.Of(Below(1UL << 39), B(0x38000000, 0x39000000), R(0x40000000, 0x50000000), R(0x60000000, 0x70000000), R(0x6fe00000, 0x80000000)));
        yield return ("descending pair rejects the set",
            RegionCase.Of(Below(1UL << 39), B(0x38000000, 0x39000000), R(0x60000000, 0x70000000), R(0x40000000, 0x50000000)));
        yield return ("touching regions leave no hole",
            RegionCase.Of(Below(1UL << 39), B(0x38000000, 0x39000000), R(0x40000000, 0x50000000), R(0x50000000, 0x60000000)));
        yield return ("malformed regions are dropped one by one", MalformedRegions());
        yield return ("misaligned regions still take part in the order check", new RegionCase
        {
            Clamp = Below(1UL << 39),
            Regions = { new(0x40000000, 0x10000800), new(0x50000000, 0x10000000) },
        });
        yield return ("overlaps with occupied space drop the region and name it", OccupiedOverlaps());
        yield return ("every region rejected", RegionCase.Of(Below(1UL << 39), B(0x38000000, 0x39000000), R(0x40000000, 0x50000000))
            with { Ram = new List<Span64> { B(0x40000000, 0x80000000) } });
        yield return ("region 0 only", RegionCase.Of(Below(1UL << 39), B(0x38000000, 0x39000000)));
        yield return ("no region at all", RegionCase.Of(Below(1UL << 39), default));
        yield return ("more regions than the set holds", new RegionCase
        {
            Clamp = Below(1UL << 39),
            Regions = Enumerable.Range(0, ExtendedRegionModel.Capacity + 1).Select(i => new Span64(0x40000000UL + (ulong)i * 0x200000, 0x200000)).ToList(),
        });
        yield return ("exactly as many regions as the set holds", new RegionCase
        {
            Clamp = Below(1UL << 39),
            Regions = Enumerable.Range(0, ExtendedRegionModel.Capacity).Select(i => new Span64(0x40000000UL + (ulong)i * 0x400000, 0x200000)).ToList(),
        });
        yield return ("empty clamp", RegionCase.Of(default, B(0x38000000, 0x39000000), R(0x40000000, 0x50000000)));
    }

    public static RegionCase MalformedRegions() => new()
    {
        Clamp = Below(1UL << 39),
        Grant = B(0x38000000, 0x39000000),
        Regions =
        {
            new(0x40000000, 0x10000000),
            new(0x50000000, 0),                    // zero size
            new(0x60000800, 0x1000000),            // misaligned start
            new(0x70000000, 0x1000800),            // misaligned size
            new(0x80000000, 0x10000000),
            new(0xfffffffffff00000, 0x200000),     // end passes 2^64
        },
    };

    public static RegionCase OccupiedOverlaps() => new()
    {
        Clamp = Below(1UL << 39),
        Grant = B(0x38000000, 0x39000000),
        Ram = { B(0x40000000, 0x48000000) },
        Reserved = { B(0x7fff0000, 0x80000000), B(0x4fe00000, 0x4fe02000) },
        Dtb = B(0x4fe00000, 0x4fe02000),
        Image = B(0x90080000, 0x900a0000),
        Regions =
        {
            B(0x30000000, 0x38200000),   // grant table region
            B(0x40000000, 0x47e00000),   // RAM (Xen 4.17's known fault)
            B(0x4fe00000, 0x50000000),   // the DTB (also in Reserved: the specific cause wins)
            B(0x60000000, 0x70000000),   // fine
            B(0x70000000, 0x80000000),   // reserved
            B(0x90000000, 0xa0000000),   // the image
            B(0x100000000, 0x140000000), // fine
        },
        Probes = { B(0x40000000, 0x40001000), B(0x60000000, 0x70000000) },
    };

    public static byte[] Build()
    {
        var file = new VectorFileWriter();
        foreach ((string name, RegionCase c) in FixedCases().Concat(RandomCases()))
        {
            string expected = ExtendedRegionModel.Register(c).Render(c.Probes);
            c.Fields(file.Add(VectorSuite.ExtendedRegions, name)).Text(VectorTag.Expected, expected).End();
        }
        return file.Build();
    }

    /// <summary>Random sets in 2 MiB blocks from a fixed seed: ascending regions with random gaps,
    /// now and then a pair swapped or made to overlap, a misaligned, empty or wrapping region,
    /// RAM, reserved ranges, a DTB, an image and region 0 dropped anywhere, and a clamp that may
    /// cut the set on either side.</summary>
    public static IEnumerable<(string, RegionCase)> RandomCases()
    {
        var random = new SplitMix64(0x5EED_0E61_0000_0001);
        const ulong Block = 2UL << 20;
        for (int n = 0; n < RandomSets; n++)
        {
            var c = new RegionCase();
            ulong at = (ulong)random.Below(64) * Block;
            int count = 1 + random.Below(10);
            for (int i = 0; i < count; i++)
            {
                at += (ulong)random.Below(40) * Block;
                ulong size = (ulong)(1 + random.Below(64)) * Block;
                c.Regions.Add(new Span64(at, size));
                at += size;
            }
            int twist = random.Below(12);
            if (twist == 0 && count >= 2)
                (c.Regions[0], c.Regions[^1]) = (c.Regions[^1], c.Regions[0]);
            else if (twist == 1 && count >= 2)
                c.Regions[1] = c.Regions[1] with { Start = c.Regions[0].End - Block };
            else if (twist == 2)
                c.Regions[random.Below(count)] = c.Regions[0] with { Size = c.Regions[0].Size + 0x800 };
            else if (twist == 3)
                c.Regions[random.Below(count)] = new Span64(c.Regions[0].Start, 0);
            else if (twist == 4)
                c.Regions.Add(new Span64(0xffffffffffe00000, 0x400000));
            ulong top = at + 64 * Block;
            Span64 Anywhere() => new((ulong)random.Below((int)(top / Block)) * Block, (ulong)(1 + random.Below(8)) * Block);
            for (int i = random.Below(3); i > 0; i--)
                c.Ram.Add(Anywhere());
            for (int i = random.Below(3); i > 0; i--)
                c.Reserved.Add(Anywhere() with { Size = 0x2000 });
            c = c with
            {
                Grant = random.Below(2) == 0 ? Anywhere() : default,
                Dtb = random.Below(3) == 0 ? Anywhere() with { Size = 0x1c0f } : default,
                Image = random.Below(3) == 0 ? Anywhere() with { Size = 0x39000 } : default,
                Clamp = random.Below(3) switch
                {
                    0 => Below(1UL << 39),
                    1 => B((ulong)random.Below(64) * Block, top),
                    _ => B(0, (ulong)random.Below((int)(top / Block)) * Block),
                },
            };
            for (int i = random.Below(3); i > 0; i--)
                c.Probes.Add(new Span64((ulong)random.Below((int)(top / Block)) * Block, (ulong)(1 + random.Below(4)) * Block));
            yield return ($"random set {n + 1}", c);
        }
    }
}
