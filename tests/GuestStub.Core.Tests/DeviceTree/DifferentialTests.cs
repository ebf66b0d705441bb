using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

/// <summary>
/// For every .dts fixture, the tree our reader walks equals what fdtget (libfdt) reports:
/// the same nodes in the same order, the same properties in the same order, the same bytes.
/// One shell per fixture runs all the fdtget calls, so this stays fast. (The CLI tests
/// compare the printed tree with `dtc -I dtb -O dts` text.)
/// </summary>
public class DifferentialTests
{
    private static string Str(ReadOnlySpan<byte> s) => Encoding.ASCII.GetString(s);

    private sealed record NodeInfo(string Path, List<string> Children, List<(string Name, byte[] Value)> Properties);

    /// <summary>Our view: every node by path, with child names and properties, by a walk that
    /// uses first-child / next-sibling (document order is checked separately below).</summary>
    private static List<NodeInfo> Walk(in Dtb tree)
    {
        var result = new List<NodeInfo>();
        var pending = new Stack<(DtNode Node, string Path)>();
        pending.Push((tree.Root, "/"));
        while (pending.Count > 0)
        {
            (DtNode node, string path) = pending.Pop();
            var info = new NodeInfo(path, new List<string>(), new List<(string, byte[])>());
            for (bool more = tree.TryGetFirstProperty(node, out DtProperty p); more; more = tree.TryGetNextProperty(p, out p))
                info.Properties.Add((Str(tree.PropertyName(p)), tree.PropertyValue(p).ToArray()));
            var children = new List<(DtNode, string)>();
            for (bool more = tree.TryGetFirstChild(node, out DtNode c); more; more = tree.TryGetNextSibling(c, out c))
            {
                string name = Str(tree.NameOf(c));
                info.Children.Add(name);
                children.Add((c, path == "/" ? "/" + name : path + "/" + name));
            }
            for (int i = children.Count - 1; i >= 0; i--)
                pending.Push(children[i]);
            result.Add(info);
        }
        return result;
    }

    [Theory]
    [ClassData(typeof(TheoryDataFixtures))]
    public void Tree_matches_fdtget(string fixture)
    {
        Assert.True(Dtb.Open(Tools.Dtb(fixture), out Dtb tree).IsOk);
        List<NodeInfo> nodes = Walk(tree);
        Assert.Equal(tree.NodeCount, nodes.Count);

        // Node lists and property lists, one marker line per node.
        string file = Tools.DtbPath(fixture);
        var script = new StringBuilder("set -e\n");
        foreach (NodeInfo n in nodes)
            script.Append($"echo '@@ {n.Path}'; fdtget -l '{file}' '{n.Path}'; echo '@@'; fdtget -p '{file}' '{n.Path}'\n");
        string listing = Tools.Run("sh", "-c", script.ToString());
        var expected = new StringBuilder();
        foreach (NodeInfo n in nodes)
        {
            expected.Append($"@@ {n.Path}\n");
            foreach (string c in n.Children)
                expected.Append(c).Append('\n');
            expected.Append("@@\n");
            foreach ((string name, _) in n.Properties)
                expected.Append(name).Append('\n');
        }
        Assert.Equal(expected.ToString(), listing);

        // Every value, as bytes, in one fdtget call.
        var args = new List<string> { "-t", "bx", file };
        var values = new StringBuilder();
        foreach (NodeInfo n in nodes)
        {
            foreach ((string name, byte[] value) in n.Properties)
            {
                args.Add(n.Path);
                args.Add(name);
                values.Append(string.Join(' ', value.Select(b => b.ToString("x")))).Append('\n');
            }
        }
        if (args.Count > 3)
            Assert.Equal(values.ToString(), Tools.Run("fdtget", args.ToArray()));
    }

    [Theory]
    [ClassData(typeof(TheoryDataFixtures))]
    public void Paths_document_order_and_reg_agree(string fixture)
    {
        Assert.True(Dtb.Open(Tools.Dtb(fixture), out Dtb tree).IsOk);
        List<NodeInfo> nodes = Walk(tree);

        // fdt_next_node order equals the pre-order of the first-child / next-sibling walk,
        // and every path leads back to the node.
        var order = new List<int> { tree.Root.Offset };
        DtNode node = tree.Root;
        int depth = 0;
        while (tree.TryGetNextNode(node, ref depth, out node))
        {
            order.Add(node.Offset);
            Assert.True(depth >= 1);
        }
        Assert.Equal(nodes.Count, order.Count);
        for (int i = 0; i < nodes.Count; i++)
        {
            Assert.True(tree.TryFindNode(Encoding.ASCII.GetBytes(nodes[i].Path), out DtNode byPath));
            Assert.Equal(order[i], byPath.Offset);
        }

        // reg decoded with the parent's cells equals fdtget's cells (-t x) split the same way.
        foreach (NodeInfo n in nodes)
        {
            if (n.Path == "/" || !n.Properties.Any(p => p.Name == "reg"))
                continue;
            Assert.True(tree.TryFindNode(Encoding.ASCII.GetBytes(n.Path), out DtNode d));
            if (!tree.GetReg(d, out DtReg reg).IsOk)
                continue;
            uint[] cells = Tools.Run("fdtget", "-t", "x", Tools.DtbPath(fixture), n.Path, "reg")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => Convert.ToUInt32(c, 16)).ToArray();
            int per = reg.AddressCells + reg.SizeCells;
            Assert.Equal(cells.Length / per, reg.Count);
            for (int i = 0; i < reg.Count; i++)
            {
                if (!reg.Get(i, out ulong address, out ulong size).IsOk)
                    continue;
                Assert.Equal(Combine(cells, i * per, reg.AddressCells), address);
                Assert.Equal(Combine(cells, i * per + reg.AddressCells, reg.SizeCells), size);
            }
        }
    }

    /// <summary>
    /// Issue 13's bad-input classes, made as the user made them: corrupted copies of
    /// the real Xen dom0 tree (tests/fixtures/xen/dom0.dtb). dtc refuses each (its
    /// property_name_chars, duplicate_property_names and node_name_chars checks are errors),
    /// and so does the reader, naming the cause and the byte.
    /// </summary>
    [Theory]
    [InlineData("interrupt-m!p")]
    [InlineData("enable-method twice in a cpu node")]
    [InlineData("fw!cfg@9020000")]
    public void Dtc_and_the_reader_both_refuse_a_corrupted_xen_tree(string corruption)
    {
        byte[] blob = (byte[])Tools.Dtb(Tools.CapturedPrefix + "dom0").Clone();
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        DtbError error;
        int offset;
        if (corruption == "interrupt-m!p")
        {
            int name = tree.Blob[tree.Layout.StringsStart..tree.Layout.StringsEnd].IndexOf("\0interrupt-map\0"u8) + 1;
            Assert.True(name > 0);
            offset = tree.Layout.StringsStart + name + "interrupt-m".Length;
            (blob[offset], error) = ((byte)'!', DtbError.BadPropertyCharacter);
        }
        else if (corruption == "fw!cfg@9020000")
        {
            Assert.True(tree.TryFindNode("/fw-cfg@9020000"u8, out DtNode fwCfg));
            offset = fwCfg.Offset + 4 + "fw".Length;    // the name follows the FDT_BEGIN_NODE token
            Assert.Equal((byte)'-', blob[offset]);
            (blob[offset], error) = ((byte)'!', DtbError.BadName);
        }
        else
        {
            // cpu@0's compatible renamed to enable-method: its own enable-method is then the second.
            Assert.True(tree.TryFindNode("/cpus/cpu@0"u8, out DtNode cpu));
            Assert.True(tree.TryGetProperty(cpu, "compatible"u8, out DtProperty compatible));
            Assert.True(tree.TryGetProperty(cpu, "enable-method"u8, out DtProperty enableMethod));
            Array.Copy(blob, enableMethod.Offset + 8, blob, compatible.Offset + 8, 4);
            (offset, error) = (enableMethod.Offset, DtbError.DuplicateProperty);
        }

        DtbStatus status = Dtb.Open(blob, out _);
        Assert.Equal((error, offset), (status.Error, status.Offset));

        string path = Path.Combine(Path.GetTempPath(), $"gueststub-corrupt-{Guid.NewGuid():N}.dtb");
        File.WriteAllBytes(path, blob);
        try
        {
            (int exit, _, string stderr) = Tools.RunUnchecked("dtc", "-I", "dtb", "-O", "dts", "-o", "/dev/null", path);
            Assert.NotEqual(0, exit);
            Assert.Contains(corruption switch
            {
                "interrupt-m!p" => "ERROR (property_name_chars)",
                "fw!cfg@9020000" => "ERROR (node_name_chars)",
                _ => "ERROR (duplicate_property_names)",
            }, stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Issue 22: a copy of the real Xen dom0 tree where one node is renamed as a sibling already
    /// is. dtc refuses it (duplicate_node_names), and so does the reader, at the second of the
    /// two in document order: the renamed one (a virtio_mmio node named as the one before it), or
    /// the one it now shares its name with (pl061@9030000 renamed pl031@9010000, which comes
    /// later). Renamed as a node under another parent is (/timer as /cpus/cpu@0), both accept it.
    /// </summary>
    [Theory]
    [InlineData("/virtio_mmio@a000200", "virtio_mmio@a000000", "/virtio_mmio@a000200", "/virtio_mmio@a000000")]
    [InlineData("/pl061@9030000", "pl031@9010000", "/pl031@9010000", "/pl031@9010000")]
    [InlineData("/timer", "cpu@0", null, null)]
    public void Dtc_and_the_reader_both_refuse_a_xen_tree_with_two_siblings_of_one_name(string node, string newName,
        string? second, string? secondAfterRenaming)
    {
        byte[] blob = (byte[])Tools.Dtb(Tools.CapturedPrefix + "dom0").Clone();
        Assert.True(Dtb.Open(blob, out Dtb tree).IsOk);
        Assert.True(tree.TryFindNode(Encoding.ASCII.GetBytes(node), out DtNode renamed));
        int expected = -1;
        if (second != null)
        {
            Assert.True(tree.TryFindNode(Encoding.ASCII.GetBytes(second), out DtNode refused));
            expected = refused.Offset;
        }
        byte[] name = Encoding.ASCII.GetBytes(newName);
        Assert.Equal(name.Length, tree.NameOf(renamed).Length);    // the same length: the rest of the blob stays put
        name.CopyTo(blob, renamed.Offset + 4);    // the name follows the FDT_BEGIN_NODE token

        DtbStatus status = Dtb.Open(blob, out _);
        string path = Path.Combine(Path.GetTempPath(), $"gueststub-corrupt-{Guid.NewGuid():N}.dtb");
        File.WriteAllBytes(path, blob);
        try
        {
            (int exit, _, string stderr) = Tools.RunUnchecked("dtc", "-I", "dtb", "-O", "dts", "-o", "/dev/null", path);
            if (second == null)
            {
                Assert.True(status.IsOk, $"{status.Error} at {status.Offset}");
                Assert.Equal(0, exit);
                Assert.DoesNotContain("duplicate_node_names", stderr);
                return;
            }
            Assert.Equal((DtbError.DuplicateNode, expected), (status.Error, status.Offset));
            Assert.NotEqual(0, exit);
            Assert.Contains($"ERROR (duplicate_node_names): {secondAfterRenaming}: Duplicate node name", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ulong Combine(uint[] cells, int first, int count)
    {
        ulong value = 0;
        for (int i = 0; i < count; i++)
            value = (value << 32) | cells[first + i];
        return value;
    }
}
