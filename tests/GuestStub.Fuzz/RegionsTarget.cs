using System;
using System.Buffers.Binary;
using GuestStub.DeviceTree;
using GuestStub.ExtendedRegions;
using GuestStub.Memory;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Text;

namespace GuestStub.Fuzz;

/// <summary>
/// <c>regions</c>: extended-region registration (ExtendedRegionSet.Register, Linux's
/// arch_xen_unpopulated_init plus the stub's checks) and its report, from either
/// <list type="bullet">
/// <item>a DTB (input starting with the FDT magic): the hypervisor node's regions and the tree's
/// RAM and reserved ranges, as the boot takes them (BootFacts), or</item>
/// <item>raw big-endian words, denser for the fuzzer: byte 0 = RAM banks (0-3), byte 1 = reserved
/// ranges (0-3), then 16-byte (start, size) pairs: clamp limit (size ignored), DTB, image, the RAM
/// banks, the reserved ranges, region 0, then every extended region (up to 40: past the set's
/// capacity).</item>
/// </list>
/// After registration the set's invariants are checked; a broken one is a finding.
/// </summary>
internal static class RegionsTarget
{
    public static void Run(byte[] input)
    {
        if (input.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(input) == FdtLayout.Magic)
            FromTree(input);
        else
            FromWords(input);
    }

    private static void FromTree(byte[] input)
    {
        if (!Dtb.Open(input, out Dtb tree).IsOk)
            return;
        PhysicalRange.TryCreate(0x47e00000, (ulong)tree.TotalSize, out PhysicalRange dtb);
        PhysicalRange.TryCreate(0x40080000, 0x39000, out PhysicalRange image);
        if (!BootFacts.Read(tree, dtb, image, out BootFacts facts).IsOk || !facts.Hypervisor.Found)
            return;
        var occupied = new OccupiedSpace { Ram = facts.Memory, Reserved = facts.Reserved, Dtb = dtb, Image = image };
        ExtendedRegionSet.Register(facts.Hypervisor.Regions, occupied, AddressableRange.BelowLimit(1UL << 39), out ExtendedRegionSet set);
        Check(ref set, occupied);
    }

    private static void FromWords(byte[] input)
    {
        var words = new WordReader(input);
        int ramCount = words.Byte() & 3, reservedCount = words.Byte() & 3;
        words.Pair(out ulong clampLimit, out _);
        var occupied = new OccupiedSpace { Dtb = words.Range(), Image = words.Range() };
        for (int i = 0; i < ramCount; i++)
            occupied.Ram.TryAdd(words.Range());
        for (int i = 0; i < reservedCount; i++)
            occupied.Reserved.TryAdd(words.Range());
        var regions = new AddressSizeList();
        for (int i = 0; i < AddressSizeList.Capacity && words.More; i++)
        {
            words.Pair(out ulong start, out ulong size);
            regions.TryAdd(start, size);
        }
        ExtendedRegionSet.Register(regions, occupied, AddressableRange.BelowLimit(clampLimit), out ExtendedRegionSet set);
        // Past capacity, step by step: the set refuses, Complete reports TooManyRegions.
        while (words.More)
        {
            words.Pair(out ulong start, out ulong size);
            set.TryAdd(start, size);
        }
        set.Complete(occupied);
        Check(ref set, occupied);
    }

    /// <summary>The promises registration makes (ExtendedRegionSet's documentation).</summary>
    private static void Check(ref ExtendedRegionSet set, in OccupiedSpace occupied)
    {
        var sink = new NullSink();
        ExtendedRegionReport.Write(ref sink, set);

        if (!set.HasResource)
        {
            Require(set.Resource.IsEmpty && set.Holes.Count == 0, "no resource, yet a resource or holes");
            Require(!set.IsUsable(set.Addressable), "no resource, yet usable space");
            return;
        }
        Require(!set.Resource.IsEmpty && set.Addressable.Covers(set.Resource), "resource empty or outside the clamp");

        ulong previousEnd = 0;
        bool any = false;
        for (int i = 0; i < set.RegionCount; i++)
        {
            if (!set.IsAccepted(i))
                continue;
            set.GetRegion(i, out ulong start, out ulong size);
            bool hasRange = PhysicalRange.TryCreate(start, size, out PhysicalRange region);
            Require(size != 0 && hasRange, "accepted region without a range");
            Require(((start | size) & (PageSize.Bytes - 1)) == 0, "accepted region misaligned");
            Require(!any || start >= previousEnd, "accepted regions out of order or overlapping");
            Require(!region.Overlaps(set.GrantRegion) && !region.Overlaps(occupied.Dtb) && !region.Overlaps(occupied.Image),
                "accepted region overlaps region 0, the DTB or the image");
            for (int k = 0; k < occupied.Ram.Count; k++)
                Require(!region.Overlaps(occupied.Ram[k]), "accepted region overlaps RAM");
            for (int k = 0; k < occupied.Reserved.Count; k++)
                Require(!region.Overlaps(occupied.Reserved[k]), "accepted region overlaps a reserved range");
            for (int k = 0; k < set.Holes.Count; k++)
                Require(!region.Overlaps(set.Holes[k]), "a hole overlaps an accepted region");
            ulong low = Math.Max(region.Start, set.Resource.Start), high = Math.Min(region.End, set.Resource.End);
            if (low < high && PhysicalRange.TryFromBounds(low, high, out PhysicalRange inside))
                Require(set.IsUsable(inside), "an accepted region inside the resource is not usable");
            previousEnd = region.End;
            any = true;
        }
        Require(any, "a resource without an accepted region");

        for (int k = 0; k < set.Holes.Count; k++)
        {
            PhysicalRange hole = set.Holes[k];
            Require(!hole.IsEmpty && set.Resource.Covers(hole) && !set.IsUsable(hole), "hole empty, outside the resource or usable");
            Require(k == 0 || hole.Start >= set.Holes[k - 1].End, "holes out of order or overlapping");
        }
    }

    private static void Require(bool condition, string broken)
    {
        if (!condition)
            throw new InvalidOperationException("extended-region invariant broken: " + broken);
    }

    private struct NullSink : ITextSink
    {
        public void Write(ReadOnlySpan<byte> text) { }
    }

    /// <summary>Big-endian words from the input; zeros past its end.</summary>
    private ref struct WordReader(ReadOnlySpan<byte> input)
    {
        private readonly ReadOnlySpan<byte> _input = input;
        private int _position;

        public readonly bool More => _position < _input.Length;

        public byte Byte() => _position < _input.Length ? _input[_position++] : (byte)0;

        public void Pair(out ulong first, out ulong second)
        {
            first = Word();
            second = Word();
        }

        public PhysicalRange Range()
        {
            Pair(out ulong start, out ulong size);
            return PhysicalRange.TryCreate(start, size, out PhysicalRange range) ? range : default;
        }

        private ulong Word()
        {
            Span<byte> word = stackalloc byte[8];
            word.Clear();
            int start = Math.Min(_position, _input.Length);
            _input.Slice(start, Math.Min(8, _input.Length - start)).CopyTo(word);
            _position += 8;
            return BinaryPrimitives.ReadUInt64BigEndian(word);
        }
    }
}
