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
    public void A_node_with_exactly_the_bounds_number_of_properties_is_valid()
    {
        // One more is TooManyProperties (a vector); at the bound every name is still compared.
        var f = new FdtBuilder().Begin("");
        for (int i = 0; i < DtbValidator.MaxPropertiesPerNode; i++)
            f.Prop($"p{i}", Array.Empty<byte>());
        byte[] blob = f.EndNode().End().Build();
        Assert.True(Dtb.Open(blob, out _).IsOk);

        // The last property named as the first: found, past the name table.
        var g = new FdtBuilder().Begin("");
        for (int i = 0; i < DtbValidator.MaxPropertiesPerNode; i++)
            g.Prop(i == DtbValidator.MaxPropertiesPerNode - 1 ? "p0" : $"p{i}", Array.Empty<byte>());
        Assert.Equal(DtbError.DuplicateProperty, Dtb.Open(g.EndNode().End().Build(), out _).Error);
    }

    [Fact]
    public void The_bound_holds_for_the_whole_tree_not_each_node()
    {
        // Two nodes of 6,000 properties each: either alone is within the bound, together they
        // pass it, in the second node. A node's p-th property (from the 257th) reads the p - 257
        // before it; the bound is what one node of MaxPropertiesPerNode reads.
        static long Reads(long properties) => properties <= 256 ? 0 : (properties - 257) * (properties - 256) / 2;
        long bound = Reads(DtbValidator.MaxPropertiesPerNode);
        int refused = 1;
        while (Reads(6000) + Reads(refused) <= bound)
            refused++;    // the second node's property that passes it (1-based)

        var f = new FdtBuilder().Begin("");
        var marks = new int[6000];
        for (int node = 0; node < 2; node++)
        {
            f.Begin(node == 0 ? "a" : "b");
            for (int i = 0; i < 6000; i++)
            {
                marks[i] = f.Mark;
                f.Prop($"p{i}", Array.Empty<byte>());
            }
            f.EndNode();
        }
        DtbStatus status = Dtb.Open(f.EndNode().End().Build(), out _);
        Assert.Equal((DtbError.TooManyProperties, f.At(marks[refused - 1])), (status.Error, status.Offset));

        var one = new FdtBuilder().Begin("").Begin("a");
        for (int i = 0; i < 6000; i++)
            one.Prop($"p{i}", Array.Empty<byte>());
        Assert.True(Dtb.Open(one.EndNode().EndNode().End().Build(), out _).IsOk);
    }

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

    [Theory]
    [InlineData(300)]       // past the 256-name table: the rest are compared by walking their tokens
    [InlineData(2000)]      // a __symbols__ node of a large SoC
    public void Many_distinct_properties_in_one_node_are_valid(int count)
    {
        var f = new FdtBuilder().Begin("");
        for (int i = 0; i < count; i++)
            f.Cells($"p{i}", (uint)i);
        f.EndNode().End();
        Assert.True(Dtb.Open(f.Build(), out Dtb tree).IsOk);
        // Each one is still found by its name, with its own value.
        for (int i = 0; i < count; i++)
        {
            Assert.True(tree.TryGetU32(tree.Root, System.Text.Encoding.ASCII.GetBytes($"p{i}"), out uint value));
            Assert.Equal((uint)i, value);
        }
    }

    [Fact]
    public void Bytes_no_property_name_uses_are_not_judged()
    {
        // The strings block holds an unused "bad name!" between the names in use: the fast path
        // (the whole block clean) is off, and each name in use is checked on its own.
        var f = new FdtBuilder().Begin("").Cells("x", 1);
        f.RawString("bad name!\0"u8.ToArray());
        f.Cells("y", 2).EndNode().End();
        Assert.True(Dtb.Open(f.Build(), out Dtb tree).IsOk);
        Assert.True(tree.TryGetU32(tree.Root, "x"u8, out uint x));
        Assert.True(tree.TryGetU32(tree.Root, "y"u8, out uint y));
        Assert.Equal((1u, 2u), (x, y));
    }

    [Fact]
    public void The_same_property_name_in_different_nodes_is_valid()
    {
        // Parent and child, and two siblings, each with "reg" and "compatible"; names with every
        // character the spec allows.
        var f = new FdtBuilder().Begin("").Cells("#address-cells", 1).Cells("#size-cells", 1).String("compatible", "a")
            .Begin("x@0").Cells("reg", 0, 1).String("compatible", "b").Cells("AZaz09,._+?#-", 1).EndNode()
            .Begin("y@1").Cells("reg", 1, 1).String("compatible", "c").EndNode()
            .EndNode().End();
        Assert.True(Dtb.Open(f.Build(), out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode("/x@0"u8, out DtNode x));
        Assert.True(tree.TryFindNode("/y@1"u8, out DtNode y));
        // Each node's "compatible" is its own.
        Assert.True(tree.IsCompatible(tree.Root, "a"u8) && tree.IsCompatible(x, "b"u8) && tree.IsCompatible(y, "c"u8));
        Assert.True(tree.TryGetU32(x, "AZaz09,._+?#-"u8, out uint odd));
        Assert.Equal(1u, odd);
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
