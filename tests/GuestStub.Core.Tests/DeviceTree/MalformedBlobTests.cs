using System;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using GuestStub.Tests.Vectors;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

/// <summary>
/// One malformed blob per cause the validator must catch (issue 3's list), each with the
/// exact error and the byte offset it must report, and blobs that must pass: the vectors of
/// tests/vectors/dtb-malformed.vec (written by tests/GuestStub.Vectors.Generator, Suites/
/// MalformedDtbSuite.cs), which the guest test image runs too. Below, what a vector cannot say:
/// what a valid tree then looks like.
/// </summary>
public class MalformedBlobTests
{
    public const string VectorFile = "dtb-malformed.vec";

    public static TheoryData<string> CaseNames() => HostVectors.Names(VectorFile);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Validator_reports_the_cause_and_offset(string name) => HostVectors.Run(VectorFile, name);

    [Fact]
    public void Nesting_exactly_at_the_limit_is_valid()
    {
        var f = new FdtBuilder().Begin("");
        for (int depth = 2; depth <= FdtLayout.MaxDepth; depth++)
            f.Begin("n");
        for (int depth = 1; depth <= FdtLayout.MaxDepth; depth++)
            f.EndNode();
        f.End();
        Assert.True(Dtb.Open(f.Build(), out Dtb tree).IsOk);
        Assert.Equal(FdtLayout.MaxDepth, tree.NodeCount);
    }

    [Fact]
    public void Blob_in_a_longer_buffer_is_cut_to_totalsize()
    {
        byte[] blob = FdtBuilder.Minimal().Build();
        byte[] buffer = new byte[blob.Length + 100];
        blob.CopyTo(buffer, 0);
        Assert.True(Dtb.Open(buffer, out Dtb tree).IsOk);
        Assert.Equal(blob.Length, tree.Blob.Length);
    }

    [Fact]
    public void Address_cells_0_is_valid_on_a_node_whose_children_have_no_reg()
    {
        // Xen gives a dom0less domU's GIC "#address-cells = <0>" (tests/fixtures/xen/domu.dtb);
        // libfdt's fdt_address_cells refuses 0 only when asked to decode with it.
        var f = new FdtBuilder().Begin("").Begin("intc");
        int at = f.Mark;
        f.Cells("#address-cells", 0).Cells("#interrupt-cells", 3).Begin("child").String("status", "okay").EndNode().EndNode().EndNode().End();
        Assert.True(Dtb.Open(f.Build(), out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode("/intc"u8, out DtNode intc));
        DtbStatus status = tree.GetAddressCells(intc, out _);
        Assert.Equal((DtbError.BadCells, f.At(at) + FdtLayout.PropHeaderSize), (status.Error, status.Offset));
    }

    [Fact]
    public void Nops_are_accepted_anywhere_between_tokens()
    {
        var f = new FdtBuilder().Nop().Begin("").Nop().Cells("a", 1).Nop().Begin("c").Nop().EndNode().Nop().EndNode().Nop().End();
        Assert.True(Dtb.Open(f.Build(), out Dtb tree).IsOk);
        Assert.True(tree.TryGetFirstChild(tree.Root, out DtNode child));
        Assert.Equal("c"u8.ToArray(), tree.NameOf(child).ToArray());
        Assert.True(tree.TryGetU32(tree.Root, "a"u8, out uint a));
        Assert.Equal(1u, a);
    }
}
