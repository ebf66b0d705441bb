using System;
using System.Collections.Generic;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using static GuestStub.Tests.TestSupport.FdtBuilder;

namespace GuestStub.Vectors.Generator;

/// <summary>
/// tests/vectors/dtb-malformed.vec: one malformed blob per cause the validator must catch (issue
/// 3's list), built token by token, each with the exact error and byte offset it must report;
/// then blobs that must pass. This was MalformedBlobTests' inline table.
/// </summary>
public static class MalformedDtbSuite
{
    public const string FileName = "dtb-malformed.vec";

    /// <summary>A blob in a buffer: the reader sees <c>Buffer[Start, Start + Length)</c>.</summary>
    private readonly record struct Case(byte[] Buffer, int Start, int Length, DtbError Error, int Offset)
    {
        public Case(byte[] blob, DtbError error, int offset) : this(blob, 0, blob.Length, error, offset) { }
    }

    public static byte[] Build()
    {
        var file = new VectorFileWriter();
        foreach ((string name, Func<Case> make) in Cases())
        {
            Case c = make();
            file.Add(VectorSuite.DtbMalformed, name)
                .Bytes(VectorTag.Blob, c.Buffer)
                .U64(VectorTag.BlobStart, (ulong)c.Start)
                .U64(VectorTag.BlobLength, (ulong)c.Length)
                .U64(VectorTag.Error, (ulong)c.Error)
                .U64(VectorTag.Offset, (ulong)c.Offset)
                .End();
        }
        return file.Build();
    }

    private static byte[] Patched(Action<byte[]> patch, FdtBuilder? builder = null)
    {
        byte[] blob = (builder ?? Minimal()).Build();
        patch(blob);
        return blob;
    }

    private static byte[] C(params uint[] cells) => CellBytes(cells);

    private static Case Valid(byte[] blob) => new(blob, DtbError.None, 0);

    private static IEnumerable<(string, Func<Case>)> Cases() => new (string, Func<Case>)[]
    {
        // Header and buffer size.
        ("empty buffer", () => new(Array.Empty<byte>(), DtbError.Truncated, 0)),
        ("shorter than magic", () => new(new byte[] { 0xd0, 0x0d, 0xfe }, DtbError.Truncated, 3)),
        ("shorter than header", () => { byte[] b = Minimal().Build(); return new(b, 0, 39, DtbError.Truncated, 39); }),
        ("shorter than totalsize", () => { byte[] b = Minimal().Build(); return new(b, 0, b.Length - 1, DtbError.Truncated, b.Length - 1); }),
        ("bad magic", () => new(Patched(b => Put(b, 0, 0xdeadbeef)), DtbError.BadMagic, 0)),
        ("byte-swapped magic", () => new(Patched(b => Put(b, 0, 0xedfe0dd0)), DtbError.SwappedMagic, 0)),
        ("misaligned blob", () =>
        {
            byte[] blob = Minimal().Build();
            byte[] buffer = new byte[blob.Length + 4];
            blob.CopyTo(buffer, 4);
            return new(buffer, 4, blob.Length, DtbError.BadAlignment, 0);
        }),

        // Versions.
        ("version 16", () => new(Patched(b => Put(b, FdtLayout.VersionOffset, 16)), DtbError.BadVersion, FdtLayout.VersionOffset)),
        ("version 0", () => new(Patched(b => { Put(b, FdtLayout.VersionOffset, 0); Put(b, FdtLayout.LastCompatibleVersionOffset, 0); }), DtbError.BadVersion, FdtLayout.VersionOffset)),
        ("version below last_comp_version", () => new(Patched(b => { Put(b, FdtLayout.VersionOffset, 16); Put(b, FdtLayout.LastCompatibleVersionOffset, 17); }), DtbError.BadVersion, FdtLayout.VersionOffset)),
        ("last_comp_version 18", () => new(Patched(b => { Put(b, FdtLayout.VersionOffset, 18); Put(b, FdtLayout.LastCompatibleVersionOffset, 18); }), DtbError.BadVersion, FdtLayout.LastCompatibleVersionOffset)),
        ("versions 0xffffffff", () => new(Patched(b => { Put(b, FdtLayout.VersionOffset, uint.MaxValue); Put(b, FdtLayout.LastCompatibleVersionOffset, uint.MaxValue); }), DtbError.BadVersion, FdtLayout.LastCompatibleVersionOffset)),

        // totalsize.
        ("totalsize 0", () => new(Patched(b => Put(b, FdtLayout.TotalSizeOffset, 0)), DtbError.BadTotalSize, FdtLayout.TotalSizeOffset)),
        ("totalsize smaller than header", () => new(Patched(b => Put(b, FdtLayout.TotalSizeOffset, 39)), DtbError.BadTotalSize, FdtLayout.TotalSizeOffset)),
        ("totalsize huge", () => { byte[] b = Patched(b => Put(b, FdtLayout.TotalSizeOffset, 0xfffffff0)); return new(b, DtbError.Truncated, b.Length); }),
        ("totalsize cuts the strings block", () => { byte[] b = Patched(b => Put(b, FdtLayout.TotalSizeOffset, Get(b, 4) - 1)); return new(b, DtbError.BadLayout, FdtLayout.StringsSizeOffset); }),

        // Blocks.
        ("struct offset past the end", () => new(Patched(b => Put(b, FdtLayout.StructOffsetOffset, (uint)b.Length + 4)), DtbError.BadLayout, FdtLayout.StructOffsetOffset)),
        ("struct offset inside the header", () => new(Patched(b => Put(b, FdtLayout.StructOffsetOffset, 8)), DtbError.BadLayout, FdtLayout.StructOffsetOffset)),
        ("struct offset+size past the end", () => new(Patched(b => Put(b, FdtLayout.StructSizeOffset, (uint)b.Length)), DtbError.BadLayout, FdtLayout.StructSizeOffset)),
        ("struct offset+size wraps 2^32", () => new(Patched(b => Put(b, FdtLayout.StructSizeOffset, 0xffffffff - Get(b, 8) + 5)), DtbError.BadLayout, FdtLayout.StructSizeOffset)),
        ("strings offset past the end", () => new(Patched(b => Put(b, FdtLayout.StringsOffsetOffset, 0xfffffff0)), DtbError.BadLayout, FdtLayout.StringsOffsetOffset)),
        ("strings offset+size wraps 2^32", () => new(Patched(b => Put(b, FdtLayout.StringsSizeOffset, 0xfffffff8)), DtbError.BadLayout, FdtLayout.StringsSizeOffset)),
        ("misaligned struct offset", () => new(Patched(b => { Put(b, FdtLayout.StructOffsetOffset, Get(b, 8) + 1); Put(b, FdtLayout.StructSizeOffset, 4); }), DtbError.BadAlignment, FdtLayout.StructOffsetOffset)),
        ("struct and strings overlap", () => new(Patched(b => Put(b, FdtLayout.StringsOffsetOffset, Get(b, 8) + 8)), DtbError.BadLayout, FdtLayout.StringsOffsetOffset)),
        ("reservation map offset past the end", () => new(Patched(b => Put(b, FdtLayout.ReservationMapOffsetOffset, 0x7ffffff8)), DtbError.BadLayout, FdtLayout.ReservationMapOffsetOffset)),
        ("misaligned reservation map", () => new(Patched(b => Put(b, FdtLayout.ReservationMapOffsetOffset, 44)), DtbError.BadAlignment, FdtLayout.ReservationMapOffsetOffset)),

        // Reservation map.
        ("unterminated reservation map", () =>
        {
            FdtBuilder fdt = Minimal().Reserve(0x48000000, 0x1000);
            fdt.TerminateReservations = false;
            return new(fdt.Build(), DtbError.BadReservationMap, fdt.StructStart);
        }),
        ("reservation map inside the struct block", () =>
        {
            FdtBuilder fdt = Minimal();
            int inside = fdt.StructStart + 8;
            return new(Patched(b => Put(b, FdtLayout.ReservationMapOffsetOffset, (uint)inside), fdt), DtbError.BadReservationMap, inside);
        }),
        ("reservation entry wraps 2^64", () => new(Minimal().Reserve(0xffffffff_fffff000, 0x2000).Build(), DtbError.AddressOverflow, FdtLayout.HeaderSize)),

        // Tokens.
        ("unknown token", () => { var f = new FdtBuilder().Begin(""); int at = f.Mark; f.Token(5).EndNode().End(); return new(f.Build(), DtbError.BadToken, f.At(at)); }),
        ("truncated token", () =>
        {
            FdtBuilder f = Minimal();
            int end = f.At(f.StructSize - 4);
            return new(Patched(b => Put(b, FdtLayout.StructSizeOffset, Get(b, 36) - 2), f), DtbError.Truncated, end);
        }),
        ("truncated property header", () =>
        {
            var f = new FdtBuilder().Begin(""); int at = f.Mark; f.Token(FdtLayout.Prop).Token(0);
            return new(f.Build(), DtbError.Truncated, f.At(at));
        }),
        ("missing FDT_END", () => { var f = new FdtBuilder().Begin("").EndNode(); return new(f.Build(), DtbError.BadStructure, f.At(f.Mark)); }),
        ("data after FDT_END", () => { var f = new FdtBuilder().Begin("").EndNode().End(); int at = f.Mark; f.Nop(); return new(f.Build(), DtbError.BadStructure, f.At(at)); }),
        ("FDT_END inside a node", () => { var f = new FdtBuilder().Begin("").Begin("a"); int at = f.Mark; f.End(); return new(f.Build(), DtbError.BadStructure, f.At(at)); }),

        // Names.
        ("unterminated node name", () => { var f = new FdtBuilder().Begin("").Token(FdtLayout.BeginNode); int at = f.Mark; f.Raw((byte)'a', (byte)'b', (byte)'c', (byte)'d'); return new(f.Build(), DtbError.BadName, f.At(at)); }),
        ("empty child name", () => { var f = new FdtBuilder().Begin(""); int at = f.Mark; f.Begin("").EndNode().EndNode().End(); return new(f.Build(), DtbError.BadName, f.At(at) + 4); }),
        ("space in a node name", () => { var f = new FdtBuilder().Begin(""); int at = f.Mark; f.Begin("bad name").EndNode().EndNode().End(); return new(f.Build(), DtbError.BadName, f.At(at) + 4 + 3); }),
        ("slash in a node name", () => { var f = new FdtBuilder().Begin(""); int at = f.Mark; f.Begin("a/b").EndNode().EndNode().End(); return new(f.Build(), DtbError.BadName, f.At(at) + 4 + 1); }),
        // Node names (spec 2.2.1, dtc's node_name_chars and node_name_format): [0-9a-zA-Z,._+-],
        // one '@' before the unit address; reported at the bad byte.
        ("node name with '!' (p!ci)", () => BadNodeName("p!ci", 1)),
        ("node name with '#' (allowed in property names)", () => BadNodeName("a#b", 1)),
        ("node name with '?' (allowed in property names)", () => BadNodeName("eth?", 3)),
        ("node name with a second '@'", () => BadNodeName("pci@0@1", 5)),
        ("node name with a byte above 0x7f", () => BadNodeName("caf\u00e9", 3)),

        // Roots and nesting.
        ("named root", () => { var f = new FdtBuilder().Begin("root").EndNode().End(); return new(f.Build(), DtbError.BadRoot, f.At(4)); }),
        ("second root", () => { var f = new FdtBuilder().Begin("").EndNode(); int at = f.Mark; f.Begin("").EndNode().End(); return new(f.Build(), DtbError.BadRoot, f.At(at)); }),
        ("no root", () => { var f = new FdtBuilder().Nop().End(); return new(f.Build(), DtbError.BadRoot, f.At(4)); }),
        ("END_NODE at depth 0", () => { var f = new FdtBuilder().Nop().EndNode().End(); return new(f.Build(), DtbError.BadStructure, f.At(4)); }),
        ("END_NODE after the root closed", () => { var f = new FdtBuilder().Begin("").EndNode(); int at = f.Mark; f.EndNode().End(); return new(f.Build(), DtbError.BadStructure, f.At(at)); }),
        ("unbalanced: node left open", () => { var f = new FdtBuilder().Begin("").Begin("a").Begin("b").EndNode().EndNode(); int at = f.Mark; f.End(); return new(f.Build(), DtbError.BadStructure, f.At(at)); }),
        ("very deep nesting", () =>
        {
            var f = new FdtBuilder().Begin("");
            int tooDeep = 0;
            for (int depth = 2; depth <= 10_000; depth++)
            {
                if (depth == FdtLayout.MaxDepth + 1)
                    tooDeep = f.Mark;
                f.Begin("n");
            }
            for (int i = 0; i < 10_000; i++)
                f.EndNode();
            f.End();
            return new(f.Build(), DtbError.TooDeep, f.At(tooDeep));
        }),

        // Properties.
        ("property outside any node", () => { var f = new FdtBuilder().Begin("").EndNode(); int at = f.Mark; f.Cells("x", 1).End(); return new(f.Build(), DtbError.BadStructure, f.At(at)); }),
        ("property after a child node", () => { var f = new FdtBuilder().Begin("").Begin("a").EndNode(); int at = f.Mark; f.Cells("x", 1).EndNode().End(); return new(f.Build(), DtbError.BadStructure, f.At(at)); }),
        ("property length overflow", () => { var f = new FdtBuilder().Begin(""); int at = f.Mark; f.PropRaw(0xfffffff0, (uint)f.NameOffset("x"), Array.Empty<byte>()).EndNode().End(); return new(f.Build(), DtbError.BadPropertyLength, f.At(at) + 4); }),
        ("property length past the block", () => { var f = new FdtBuilder().Begin(""); int at = f.Mark; f.PropRaw(64, (uint)f.NameOffset("x"), new byte[4]).EndNode().End(); return new(f.Build(), DtbError.BadPropertyLength, f.At(at) + 4); }),
        ("name offset outside the strings block", () => { var f = new FdtBuilder().Begin(""); f.NameOffset("abc"); int at = f.Mark; f.PropRaw(0, 4, Array.Empty<byte>()).EndNode().End(); return new(f.Build(), DtbError.BadStringOffset, f.At(at) + 8); }),
        ("name offset 0xffffffff", () => { var f = new FdtBuilder().Begin(""); f.NameOffset("abc"); int at = f.Mark; f.PropRaw(0, 0xffffffff, Array.Empty<byte>()).EndNode().End(); return new(f.Build(), DtbError.BadStringOffset, f.At(at) + 8); }),
        ("unterminated property name", () =>
        {
            var f = new FdtBuilder().Begin("");
            int name = f.RawString("abc"u8.ToArray());
            f.PropRaw(0, (uint)name, Array.Empty<byte>()).EndNode().End();
            return new(f.Build(), DtbError.BadPropertyName, f.StringsStart + name);
        }),
        // Property names (issue 13, DtbValidator.Names.cs): spec 2.2.4.1's characters, and once
        // per node. A bad character is reported at its byte in the strings block; a duplicate at
        // the second property's FDT_PROP token.
        ("property name with '!' (interrupt-m!p)", () => BadCharacter("interrupt-m!p", 11)),
        ("property name with a space", () => BadCharacter("status okay", 6)),
        ("property name with '@'", () => BadCharacter("reg@0", 3)),
        ("property name with '/'", () => BadCharacter("a/b", 1)),
        ("property name with '*' (dtc allows it, the spec does not)", () => BadCharacter("*", 0)),
        ("property name with a control byte", () => BadCharacter("x\ty", 1)),
        ("property name with a byte above 0x7f", () => BadCharacter("caf\u00e9", 3)),
        ("duplicate property (enable-method in a cpu node)", () =>
        {
            var f = new FdtBuilder().Begin("").Begin("cpus").Cells("#address-cells", 1).Cells("#size-cells", 0)
                .Begin("cpu@0").String("device_type", "cpu").String("enable-method", "psci").Cells("reg", 0);
            int at = f.Mark;
            f.String("enable-method", "spin-table").EndNode().EndNode().EndNode().End();
            return new(f.Build(), DtbError.DuplicateProperty, f.At(at));
        }),
        ("duplicate property behind NOPs", () =>
        {
            var f = new FdtBuilder().Begin("").Cells("x", 1).Nop().Cells("y", 2).Nop().Nop();
            int at = f.Mark;
            f.Cells("x", 3).EndNode().End();
            return new(f.Build(), DtbError.DuplicateProperty, f.At(at));
        }),
        ("duplicate property through a second copy of its name", () =>
        {
            // The same name at two offsets of the strings block: names are compared, not offsets.
            var f = new FdtBuilder().Begin("");
            int first = f.RawString("compatible\0"u8.ToArray());
            int second = f.RawString("compatible\0"u8.ToArray());
            f.PropRaw(0, (uint)first, Array.Empty<byte>());
            int at = f.Mark;
            f.PropRaw(0, (uint)second, Array.Empty<byte>()).EndNode().End();
            return new(f.Build(), DtbError.DuplicateProperty, f.At(at));
        }),
        ("duplicate property through a shared suffix", () =>
        {
            // "cells" at offset 6 of "#size-cells" (dtc shares suffixes) and "cells" on its own.
            var f = new FdtBuilder().Begin("");
            int sizeCells = f.RawString("#size-cells\0"u8.ToArray());
            int cells = f.RawString("cells\0"u8.ToArray());
            f.PropRaw(0, (uint)sizeCells + 6, Array.Empty<byte>());
            int at = f.Mark;
            f.PropRaw(0, (uint)cells, Array.Empty<byte>()).EndNode().End();
            return new(f.Build(), DtbError.DuplicateProperty, f.At(at));
        }),
        ("duplicate property of an early one, past the name table", () => ManyProperties(400, 399, 5)),
        ("duplicate property of a late one, past the name table", () => ManyProperties(400, 399, 300)),
        // 146 KiB: the node at the bound, which must pass, is a host test (MalformedBlobTests),
        // for the test image's 2 MiB (native/head.S maps it with one L3 table).
        ("more properties in one node than the duplicate check's bound", () =>
        {
            var f = new FdtBuilder().Begin("");
            int at = 0;
            for (int i = 0; i <= DtbValidator.MaxPropertiesPerNode; i++)
            {
                if (i == DtbValidator.MaxPropertiesPerNode)
                    at = f.Mark;
                f.Prop($"p{i}", Array.Empty<byte>());
            }
            f.EndNode().End();
            return new(f.Build(), DtbError.TooManyProperties, f.At(at));
        }),
        // Child-node names (issue 22, DtbValidator.Siblings.cs): no two children of a node with the
        // same full name, unit address included (dtc's duplicate_node_names); reported at the second
        // one's FDT_BEGIN_NODE token.
        ("duplicate node (two pl011@9000000 under the root)", () =>
        {
            var f = new FdtBuilder().Begin("").Begin("pl011@9000000").EndNode().Begin("chosen").EndNode();
            int at = f.Mark;
            f.Begin("pl011@9000000").EndNode().EndNode().End();
            return new(f.Build(), DtbError.DuplicateNode, f.At(at));
        }),
        ("duplicate node deep down (two cpu@1 in /cpus)", () =>
        {
            var f = new FdtBuilder().Begin("").Begin("cpus").Cells("#address-cells", 1).Cells("#size-cells", 0)
                .Begin("cpu@0").Cells("reg", 0).EndNode().Begin("cpu@1").Cells("reg", 1).EndNode();
            int at = f.Mark;
            f.Begin("cpu@1").Cells("reg", 1).EndNode().EndNode().EndNode().End();
            return new(f.Build(), DtbError.DuplicateNode, f.At(at));
        }),
        ("duplicate node after the first one's subtree", () =>
        {
            // The first pcie@10000000 has children of its own, dropped when it closes; the second
            // is refused, not the first, and not its children's names.
            var f = new FdtBuilder().Begin("").Begin("pcie@10000000").Begin("dev@0").Begin("pcie@10000000").EndNode().EndNode()
                .Begin("dev@1").EndNode().EndNode().Begin("psci").EndNode();
            int at = f.Mark;
            f.Begin("pcie@10000000").EndNode().EndNode().End();
            return new(f.Build(), DtbError.DuplicateNode, f.At(at));
        }),
        ("duplicate node without a unit address (chosen twice)", () =>
        {
            var f = new FdtBuilder().Begin("").Begin("chosen").EndNode().Nop().Begin("memory@40000000").EndNode().Nop();
            int at = f.Mark;
            f.Begin("chosen").EndNode().EndNode().End();
            return new(f.Build(), DtbError.DuplicateNode, f.At(at));
        }),
        ("duplicate node among 300 siblings (the last names the 17th)", () => ManyChildren(300, 299, 16)),
        ("duplicate node behind a common prefix (virtio_mmio@a000200 among 32)", () =>
        {
            var f = new FdtBuilder().Begin("");
            for (int i = 0; i < 32; i++)
                f.Begin($"virtio_mmio@a{i * 0x200:x6}").EndNode();
            int at = f.Mark;
            f.Begin("virtio_mmio@a000200").EndNode().EndNode().End();
            return new(f.Build(), DtbError.DuplicateNode, f.At(at));
        }),
        ("duplicate node of a 300-byte name differing from its siblings only in the last byte", () =>
        {
            string prefix = new string('n', 299);
            var f = new FdtBuilder().Begin("").Begin(prefix + "a").EndNode().Begin(prefix + "b").EndNode().Begin(prefix + "c").EndNode();
            int at = f.Mark;
            f.Begin(prefix + "b").EndNode().EndNode().End();
            return new(f.Build(), DtbError.DuplicateNode, f.At(at));
        }),
        ("duplicate node of a short name among longer names that start with it", () =>
        {
            // "bus" after "bus@0" and "bus@1", whose names first differ past the end of "bus".
            var f = new FdtBuilder().Begin("").Begin("bus@0").EndNode().Begin("bus@1").EndNode().Begin("bus").EndNode().Begin("bus@2").EndNode();
            int at = f.Mark;
            f.Begin("bus").EndNode().EndNode().End();
            return new(f.Build(), DtbError.DuplicateNode, f.At(at));
        }),
        // 24 KiB each, the bound and one past it: the test image has room for no more (the rest of
        // the bound's cases, names held along a path, are host tests: MalformedBlobTests).
        ("more child nodes than the duplicate check holds", () => ChildrenOfTheRoot(DtbValidator.MaxChildNamesHeld + 1)),
        ("empty property name", () =>
        {
            var f = new FdtBuilder().Begin("");
            int name = f.RawString(new byte[] { 0 });
            f.PropRaw(0, (uint)name, Array.Empty<byte>()).EndNode().End();
            return new(f.Build(), DtbError.BadPropertyName, f.StringsStart + name);
        }),

        // Addressing, for every node (DtbValidator.Cells.cs): the offset is that of the value.
        ("#address-cells 5", () => Cells("#address-cells", C(5))),
        ("#address-cells 0xffffffff", () => Cells("#address-cells", C(0xffffffff))),
        ("#address-cells two cells long", () => Cells("#address-cells", C(0, 2))),
        ("#address-cells empty", () => Cells("#address-cells", Array.Empty<byte>())),
        ("#size-cells 5", () => Cells("#size-cells", C(5))),
        ("#size-cells 0x80000000", () => Cells("#size-cells", C(0x80000000))),
        ("#size-cells one byte", () => Cells("#size-cells", new byte[] { 1 })),
        ("#size-cells on a leaf node deep down", () =>
        {
            var f = new FdtBuilder().Begin("").Begin("a").Begin("b").Begin("leaf").String("compatible", "x");
            int at = f.Mark;
            f.Cells("#size-cells", 7).EndNode().EndNode().EndNode().EndNode().End();
            return new(f.Build(), DtbError.BadCells, f.At(at) + FdtLayout.PropHeaderSize);
        }),
        ("second #address-cells out of range: a duplicate first", () =>
        {
            // Issue 13: a node's second #address-cells is refused as a duplicate before its value
            // is judged (the value check of every node is "#size-cells on a leaf node deep down").
            var f = new FdtBuilder().Begin("").Cells("#address-cells", 1);
            int at = f.Mark;
            f.Cells("#address-cells", 9).EndNode().End();
            return new(f.Build(), DtbError.DuplicateProperty, f.At(at));
        }),
        ("reg not a multiple of the default 2 + 1 cells", () => Reg(null, null, C(0, 0x1000))),
        ("reg not a multiple of 2 + 2 cells", () => Reg(2, 2, C(0, 0x1000, 0))),
        ("reg not a multiple of 1 + 0 cells: a stray byte", () => Reg(1, 0, new byte[5])),
        ("reg with a stray byte under 1 + 1 cells", () => Reg(1, 1, new byte[9])),
        ("reg under #address-cells 0", () =>
        {
            var f = new FdtBuilder().Begin("");
            int at = f.Mark;
            f.Cells("#address-cells", 0).Cells("#size-cells", 1).Begin("dev@0").Cells("reg", 0x1000).EndNode().EndNode().End();
            return new(f.Build(), DtbError.BadCells, f.At(at) + FdtLayout.PropHeaderSize);
        }),
        ("reg decoded with the parent's cells, not a closed sibling bus's", () =>
        {
            // bus@0 has 1 + 1 cells; after it closes, dev@1's reg is decoded with the root's 2 + 2.
            var f = new FdtBuilder().Begin("").Cells("#address-cells", 2).Cells("#size-cells", 2)
                .Begin("bus@0").Cells("#address-cells", 1).Cells("#size-cells", 1).Begin("x@0").Cells("reg", 0, 0x10).EndNode().EndNode()
                .Begin("dev@1");
            int at = f.Mark;
            f.Cells("reg", 1, 0x10).EndNode().EndNode().End();
            return new(f.Build(), DtbError.BadValue, f.At(at) + FdtLayout.PropHeaderSize);
        }),
        ("reg in a nested bus decoded with its own parent's cells", () =>
        {
            // The root's 1 + 1 would accept 4 cells; bus@0's 3 + 2 does not.
            var f = new FdtBuilder().Begin("").Cells("#address-cells", 1).Cells("#size-cells", 1)
                .Begin("bus@0").Cells("reg", 0, 0x100).Cells("#address-cells", 3).Cells("#size-cells", 2).Begin("dev@0");
            int at = f.Mark;
            f.Cells("reg", 0, 0, 0, 0).EndNode().EndNode().EndNode().End();
            return new(f.Build(), DtbError.BadValue, f.At(at) + FdtLayout.PropHeaderSize);
        }),

        // Blobs that must pass: without them a reader that refused everything would pass the rest.
        ("valid: minimal tree", () => Valid(Minimal().Build())),
        ("valid: nesting exactly at the limit", () =>
        {
            var f = new FdtBuilder().Begin("");
            for (int depth = 2; depth <= FdtLayout.MaxDepth; depth++)
                f.Begin("n");
            for (int depth = 1; depth <= FdtLayout.MaxDepth; depth++)
                f.EndNode();
            f.End();
            return Valid(f.Build());
        }),
        ("valid: blob in a longer buffer", () =>
        {
            byte[] blob = Minimal().Build();
            byte[] buffer = new byte[blob.Length + 100];
            blob.CopyTo(buffer, 0);
            return Valid(buffer);
        }),
        ("valid: #address-cells 0 on a node whose children have no reg", () =>
        {
            var f = new FdtBuilder().Begin("").Begin("intc");
            f.Cells("#address-cells", 0).Cells("#interrupt-cells", 3).Begin("child").String("status", "okay").EndNode().EndNode().EndNode().End();
            return Valid(f.Build());
        }),
        ("valid: reg with address-only entries (1 + 0 cells)", () => FittingReg(1, 0, 2)),
        ("valid: reg under 4 + 4 cells", () => FittingReg(4, 4, 16)),
        ("valid: empty reg (2 + 1 cells)", () => FittingReg(2, 1, 0)),
        ("valid: the root reg is not checked", () => Valid(new FdtBuilder().Begin("").Prop("reg", new byte[5]).EndNode().End().Build())),
        ("valid: nops anywhere between tokens", () =>
            Valid(new FdtBuilder().Nop().Begin("").Nop().Cells("a", 1).Nop().Begin("c").Nop().EndNode().Nop().EndNode().Nop().End().Build())),
        // ... and the property-name checks (issue 13) refuse none of these.
        ("valid: 300 distinct properties in one node, past the name table", () => Valid(DistinctProperties(300))),
        ("valid: bad bytes in the strings block that no property uses", () =>
        {
            // An unused "bad name!" between the names in use: the whole-block fast path is off,
            // and each name in use is checked on its own.
            var f = new FdtBuilder().Begin("").Cells("x", 1);
            f.RawString("bad name!\0"u8.ToArray());
            return Valid(f.Cells("y", 2).EndNode().End().Build());
        }),
        ("valid: the same property names in different nodes, every character the spec allows", () =>
            Valid(new FdtBuilder().Begin("").Cells("#address-cells", 1).Cells("#size-cells", 1).String("compatible", "a")
                .Begin("x@0").Cells("reg", 0, 1).String("compatible", "b").Cells("AZaz09,._+?#-", 1).EndNode()
                .Begin("y@1").Cells("reg", 1, 1).String("compatible", "c").EndNode()
                .EndNode().End().Build())),
        // ... and the child-name check (issue 22) refuses none of these.
        ("valid: the same node name under different parents", () =>
            Valid(new FdtBuilder().Begin("").Begin("a").Begin("x").Begin("x").EndNode().EndNode().EndNode()
                .Begin("b").Begin("x").EndNode().EndNode().Begin("x").EndNode().EndNode().End().Build())),
        ("valid: the same node name with different unit addresses", () =>
            Valid(new FdtBuilder().Begin("").Begin("memory@40000000").EndNode().Begin("memory@80000000").EndNode()
                .Begin("cpu").EndNode().Begin("cpu@0").EndNode().Begin("cpu@").EndNode().Begin("cpu@00").EndNode()
                .Begin("CPU@0").EndNode().EndNode().End().Build())),
        ("valid: names that differ only after a common prefix", () =>
        {
            var f = new FdtBuilder().Begin("");
            for (int i = 0; i < 32; i++)
                f.Begin($"virtio_mmio@a{i * 0x200:x6}").EndNode();
            string prefix = new string('n', 299);
            f.Begin("ab").EndNode().Begin("abc").EndNode().Begin("a").EndNode().Begin(prefix + "a").EndNode().Begin(prefix + "b").EndNode()
                .Begin(prefix).EndNode().Begin("bus@0").EndNode().Begin("bus@1").EndNode().Begin("bus").EndNode();
            return Valid(f.EndNode().End().Build());
        }),
        ("valid: as many child nodes as the duplicate check holds", () => ChildrenOfTheRoot(DtbValidator.MaxChildNamesHeld)),
    };

    /// <summary>A root with one child named <paramref name="name"/> (Latin-1 bytes), refused at
    /// its byte <paramref name="badIndex"/>.</summary>
    private static Case BadNodeName(string name, int badIndex)
    {
        var f = new FdtBuilder().Begin("");
        int at = f.Mark;
        f.Token(FdtLayout.BeginNode).Raw(System.Text.Encoding.Latin1.GetBytes(name + "\0")).Pad().EndNode().EndNode().End();
        return new(f.Build(), DtbError.BadName, f.At(at) + 4 + badIndex);
    }

    /// <summary>A root whose only property is named <paramref name="name"/>, refused at byte
    /// <paramref name="badIndex"/> of the name in the strings block.</summary>
    private static Case BadCharacter(string name, int badIndex)
    {
        var f = new FdtBuilder().Begin("");
        int nameOffset = f.RawString(System.Text.Encoding.Latin1.GetBytes(name + "\0"));
        f.PropRaw(0, (uint)nameOffset, Array.Empty<byte>()).EndNode().End();
        return new(f.Build(), DtbError.BadPropertyCharacter, f.StringsStart + nameOffset + badIndex);
    }

    /// <summary>A root with <paramref name="count"/> properties p0..p(count-1), where property
    /// <paramref name="duplicateAt"/> is named again as p<paramref name="copyOf"/>: past the
    /// validator's 256-name table, where names are compared by walking their tokens.</summary>
    private static Case ManyProperties(int count, int duplicateAt, int copyOf)
    {
        var f = new FdtBuilder().Begin("");
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == duplicateAt)
                at = f.Mark;
            f.Cells(i == duplicateAt ? $"p{copyOf}" : $"p{i}", (uint)i);
        }
        f.EndNode().End();
        return new(f.Build(), DtbError.DuplicateProperty, f.At(at));
    }

    /// <summary>A root with <paramref name="count"/> children n0..n(count-1), where child
    /// <paramref name="duplicateAt"/> is named again as n<paramref name="copyOf"/>.</summary>
    private static Case ManyChildren(int count, int duplicateAt, int copyOf)
    {
        var f = new FdtBuilder().Begin("");
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == duplicateAt)
                at = f.Mark;
            f.Begin(i == duplicateAt ? $"n{copyOf}" : $"n{i}").EndNode();
        }
        f.EndNode().End();
        return new(f.Build(), DtbError.DuplicateNode, f.At(at));
    }

    /// <summary>A root with <paramref name="count"/> children of two-character names (12 bytes a
    /// node); past <see cref="DtbValidator.MaxChildNamesHeld"/>, refused at the first that does
    /// not fit.</summary>
    private static Case ChildrenOfTheRoot(int count)
    {
        var f = new FdtBuilder().Begin("");
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == DtbValidator.MaxChildNamesHeld)
                at = f.Mark;
            f.Begin(FdtBuilder.ShortNodeName(i)).EndNode();
        }
        byte[] blob = f.EndNode().End().Build();
        return count > DtbValidator.MaxChildNamesHeld ? new(blob, DtbError.TooManyChildNodes, f.At(at)) : Valid(blob);
    }

    /// <summary>A root whose only property is <paramref name="name"/> = <paramref name="value"/>.</summary>
    private static Case Cells(string name, byte[] value)
    {
        var f = new FdtBuilder().Begin("");
        int at = f.Mark;
        f.Prop(name, value).Begin("dev@0").EndNode().EndNode().End();
        return new(f.Build(), DtbError.BadCells, f.At(at) + FdtLayout.PropHeaderSize);
    }

    /// <summary>A root with the given cells (null: absent) and a child "dev@0" whose reg is
    /// <paramref name="reg"/>, expected to be refused as BadValue.</summary>
    private static Case Reg(uint? addressCells, uint? sizeCells, byte[] reg)
    {
        var f = new FdtBuilder().Begin("");
        if (addressCells is uint a)
            f.Cells("#address-cells", a);
        if (sizeCells is uint s)
            f.Cells("#size-cells", s);
        f.Begin("dev@0");
        int at = f.Mark;
        f.Prop("reg", reg).EndNode().EndNode().End();
        return new(f.Build(), DtbError.BadValue, f.At(at) + FdtLayout.PropHeaderSize);
    }

    /// <summary>A root with <paramref name="count"/> properties p0..p(count-1) = their index.</summary>
    private static byte[] DistinctProperties(int count)
    {
        var f = new FdtBuilder().Begin("");
        for (int i = 0; i < count; i++)
            f.Cells($"p{i}", (uint)i);
        return f.EndNode().End().Build();
    }

    private static Case FittingReg(uint addressCells, uint sizeCells, int regCells) =>
        Valid(new FdtBuilder().Begin("").Cells("#address-cells", addressCells).Cells("#size-cells", sizeCells)
            .Begin("dev@0").Prop("reg", new byte[regCells * 4]).EndNode().EndNode().End().Build());
}
