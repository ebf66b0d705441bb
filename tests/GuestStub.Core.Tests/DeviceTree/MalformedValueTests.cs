using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

/// <summary>
/// Blobs that pass validation but whose values are wrong where they are decoded: reg numbers
/// wider than 64 bits, address + size wrapping, interrupts, boot-facts tables; and where the
/// line between the two lies (cells and reg lengths are the validator's).
/// </summary>
public class MalformedValueTests
{
    /// <summary>Root with the given cells properties (raw values) and a node "dev" with reg;
    /// also the blob offsets of the #address-cells value and of the reg value.</summary>
    private static (byte[] Blob, int AddressCellsValue, int RegValue) BusWith(byte[]? addressCells, byte[]? sizeCells, byte[] reg)
    {
        var f = new FdtBuilder().Begin("");
        int addressMark = f.Mark;
        if (addressCells is not null)
            f.Prop("#address-cells", addressCells);
        if (sizeCells is not null)
            f.Prop("#size-cells", sizeCells);
        f.Begin("dev@0");
        int regMark = f.Mark;
        f.Prop("reg", reg).EndNode().EndNode().End();
        return (f.Build(), f.At(addressMark) + FdtLayout.PropHeaderSize, f.At(regMark) + FdtLayout.PropHeaderSize);
    }

    private static DtbStatus DecodeFirst(byte[] blob, out PhysicalRange range)
    {
        range = default;
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode("/dev"u8, out DtNode dev));
        DtbStatus status = tree.GetReg(tree.Root, dev, out DtReg reg);
        return status.IsOk ? reg.GetRange(0, out range) : status;
    }

    private static int ValueOffsetOf(byte[] blob, string node, string property)
    {
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode(System.Text.Encoding.ASCII.GetBytes(node), out DtNode n));
        Assert.True(tree.TryGetProperty(n, System.Text.Encoding.ASCII.GetBytes(property), out DtProperty p));
        return p.ValueOffset;
    }

    private static byte[] C(params uint[] cells) => FdtBuilder.CellBytes(cells);

    // Cells out of range or of the wrong length, and reg lengths that are not a multiple of the
    // parent's cells, are refused by the validator for every node (MalformedBlobTests): such a
    // tree never opens. What is left to decoding is checked here.

    [Theory]
    [InlineData(0u)]
    [InlineData(5u)]
    [InlineData(0xffffffffu)]
    public void Address_cells_out_of_range_are_refused_with_the_offset_GetReg_would_give(uint cells)
    {
        (byte[] blob, int addressCellsValue, _) = BusWith(C(cells), C(1), C(1, 2, 3, 4));
        DtbStatus status = Dtb.Open(blob, out _);
        Assert.Equal((DtbError.BadCells, addressCellsValue), (status.Error, status.Offset));
    }

    [Fact]
    public void Defaults_are_two_address_cells_and_one_size_cell()
    {
        (byte[] blob, _, _) = BusWith(null, null, C(0x1, 0x2, 0x3));
        Assert.True(DecodeFirst(blob, out PhysicalRange range).IsOk);
        Assert.Equal((0x1_00000002UL, 3UL), (range.Start, range.SizeBytes));
    }

    [Theory]
    [InlineData(2u, 2u, 3)]
    [InlineData(2u, 1u, 4)]
    [InlineData(1u, 1u, 1)]
    [InlineData(1u, 0u, 0)]     // an empty reg is fine: zero entries
    public void Reg_length_must_be_a_multiple_of_the_entry(uint addressCells, uint sizeCells, int regCells)
    {
        (byte[] blob, _, int regValue) = BusWith(C(addressCells), C(sizeCells), new byte[regCells * 4]);
        DtbStatus open = Dtb.Open(blob, out Dtb tree);
        if (regCells % (int)(addressCells + sizeCells) == 0)
        {
            Assert.True(open.IsOk);
            Assert.True(tree.TryFindNode("/dev"u8, out DtNode dev));
            Assert.True(tree.GetReg(tree.Root, dev, out DtReg reg).IsOk);
            Assert.Equal(regCells / (int)(addressCells + sizeCells), reg.Count);
        }
        else
        {
            // Refused when validated, at the value of reg, as GetReg would have reported it.
            Assert.Equal((DtbError.BadValue, regValue), (open.Error, open.Offset));
        }
    }

    [Fact]
    public void Address_plus_size_wrapping_two_to_the_64()
    {
        (byte[] blob, _, _) = BusWith(C(2), C(2), C(0xffffffff, 0xfffff000, 0, 0x1001));
        DtbStatus status = DecodeFirst(blob, out _);
        Assert.Equal((DtbError.AddressOverflow, ValueOffsetOf(blob, "/dev", "reg")), (status.Error, status.Offset));
        // PhysicalRange keeps its exclusive end representable, so the last byte below 2^64 is
        // reachable and a range ending exactly at 2^64 is refused too.
        (blob, _, _) = BusWith(C(2), C(2), C(0xffffffff, 0xfffff000, 0, 0x1000));
        Assert.Equal(DtbError.AddressOverflow, DecodeFirst(blob, out _).Error);
        (blob, _, _) = BusWith(C(2), C(2), C(0xffffffff, 0xfffff000, 0, 0xfff));
        Assert.True(DecodeFirst(blob, out PhysicalRange top).IsOk);
        Assert.Equal(0xfffUL, top.SizeBytes);
    }

    [Fact]
    public void Three_address_cells_must_fit_in_64_bits()
    {
        (byte[] blob, _, _) = BusWith(C(3), C(1), C(0, 1, 2, 3));
        Assert.True(DecodeFirst(blob, out PhysicalRange r).IsOk);
        Assert.Equal(0x1_00000002UL, r.Start);
        (blob, _, _) = BusWith(C(3), C(1), C(1, 0, 0, 3));
        Assert.Equal(DtbError.BadValue, DecodeFirst(blob, out _).Error);
        (blob, _, _) = BusWith(C(4), C(4), C(0, 0, 0, 1, 0, 0, 0, 1));
        Assert.True(DecodeFirst(blob, out r).IsOk);
        Assert.Equal((1UL, 1UL), (r.Start, r.SizeBytes));
    }

    private static byte[] WithInterrupts(Action<FdtBuilder> controller, Action<FdtBuilder> device)
    {
        var f = new FdtBuilder().Begin("").Cells("interrupt-parent", 1);
        f.Begin("intc");
        controller(f);
        f.EndNode().Begin("dev");
        device(f);
        f.EndNode().EndNode().End();
        return f.Build();
    }

    [Fact]
    public void Interrupts_errors()
    {
        static DtbError Decode(byte[] blob)
        {
            Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
            Assert.True(tree.TryFindNode("/dev"u8, out DtNode dev));
            return tree.GetInterrupts(dev, out _).Error;
        }

        Assert.Equal(DtbError.None, Decode(WithInterrupts(c => c.Cells("phandle", 1).Cells("#interrupt-cells", 3), d => d.Cells("interrupts", 0, 1, 4))));
        Assert.Equal(DtbError.BadPhandle, Decode(WithInterrupts(c => c.Cells("phandle", 2).Cells("#interrupt-cells", 3), d => d.Cells("interrupts", 0, 1, 4))));
        Assert.Equal(DtbError.BadCells, Decode(WithInterrupts(c => c.Cells("phandle", 1), d => d.Cells("interrupts", 0, 1, 4))));
        Assert.Equal(DtbError.BadCells, Decode(WithInterrupts(c => c.Cells("phandle", 1).Cells("#interrupt-cells", 0), d => d.Cells("interrupts", 0, 1, 4))));
        Assert.Equal(DtbError.BadValue, Decode(WithInterrupts(c => c.Cells("phandle", 1).Cells("#interrupt-cells", 3), d => d.Cells("interrupts", 0, 1))));
        Assert.Equal(DtbError.BadValue, Decode(WithInterrupts(c => c.Cells("phandle", 1).Cells("#interrupt-cells", 3), d => d.Cells("interrupts", 0, 1, 4).Prop("interrupt-parent", new byte[2]))));
        Assert.Equal(DtbError.NotFound, Decode(WithInterrupts(c => c.Cells("phandle", 1).Cells("#interrupt-cells", 3), d => d.Cells("x", 0))));
    }
}
