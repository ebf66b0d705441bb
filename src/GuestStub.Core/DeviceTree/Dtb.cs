using System;
using System.Buffers.Binary;
using GuestStub.Memory;

namespace GuestStub.DeviceTree;

/// <summary>
/// A validated flattened device tree over a byte span. The only way to get one is
/// <see cref="Open"/>, which runs <see cref="DtbValidator"/> over the whole blob; every
/// navigation method relies on that and does no checking of its own beyond what the
/// span indexer does. Nodes and properties are integer offsets (<see cref="DtNode"/>,
/// <see cref="DtProperty"/>), as in libfdt. Nothing here allocates.
/// The members are split by concern: Dtb.Nodes.cs (walking), Dtb.Properties.cs,
/// Dtb.Paths.cs (paths, aliases, compatible, phandles), Dtb.Cells.cs (reg, interrupts).
/// </summary>
public readonly ref partial struct Dtb
{
    private readonly ReadOnlySpan<byte> _blob;
    private readonly DtbLayout _layout;

    private Dtb(ReadOnlySpan<byte> blob, DtbLayout layout)
    {
        _blob = blob.Slice(0, layout.TotalSize);
        _layout = layout;
    }

    /// <summary>Validates <paramref name="blob"/> and, if it passes, opens it. Errors are those
    /// of <see cref="DtbValidator.Validate"/>. <paramref name="blob"/> may be longer than
    /// totalsize (a DTB in a bigger buffer); the tree covers only totalsize bytes.</summary>
    public static DtbStatus Open(ReadOnlySpan<byte> blob, out Dtb tree)
    {
        DtbStatus status = DtbValidator.Validate(blob, out DtbLayout layout);
        tree = status.IsOk ? new Dtb(blob, layout) : default;
        return status;
    }

    /// <summary>The blob, cut to totalsize.</summary>
    public ReadOnlySpan<byte> Blob => _blob;

    public DtbLayout Layout => _layout;

    public int TotalSize => _layout.TotalSize;

    public uint BootCpuId => _layout.BootCpuId;

    /// <summary>Number of nodes, counted by the validator.</summary>
    public int NodeCount => _layout.NodeCount;

    /// <summary>Entries in the memory reservation map, without the (0, 0) terminator.</summary>
    public int ReservationCount => _layout.ReservationCount;

    /// <summary>Reservation-map entry <paramref name="index"/> (spec 5.3). The validator has
    /// refused entries whose end would pass 2^64, so the range is exact; false when
    /// <paramref name="index"/> is out of range.</summary>
    public bool TryGetReservation(int index, out PhysicalRange range)
    {
        range = default;
        if ((uint)index >= (uint)_layout.ReservationCount)
            return false;
        int entry = _layout.ReservationMapStart + index * FdtLayout.ReservationEntrySize;
        ulong address = ReadU64(entry);
        ulong size = ReadU64(entry + 8);
        return PhysicalRange.TryCreate(address, size, out range);
    }

    private uint Word(int offset) => BinaryPrimitives.ReadUInt32BigEndian(_blob.Slice(offset, 4));

    /// <summary>Two word reads rather than one 8-byte read: entries are only 4-byte aligned
    /// in the structure block, and with the MMU off an unaligned read faults.</summary>
    private ulong ReadU64(int offset) => ((ulong)Word(offset) << 32) | Word(offset + 4);
}
