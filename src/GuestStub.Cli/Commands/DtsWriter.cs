using System;
using System.IO;
using System.Text;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.Cli.Commands;

/// <summary>
/// Prints a validated tree as device-tree source, byte for byte as <c>dtc -I dtb -O dts</c>
/// (dtc 1.6 treesource.c) prints it, so the two can be compared: the same value-type guess
/// (string, 32-bit cells, bytes), the same escapes and number formats, tabs for indentation.
/// </summary>
public static class DtsWriter
{
    public static void Write(in Dtb tree, TextWriter w)
    {
        w.Write("/dts-v1/;\n\n");
        for (int i = 0; i < tree.ReservationCount; i++)
        {
            tree.TryGetReservation(i, out PhysicalRange range);
            w.Write($"/memreserve/\t0x{range.Start:x16} 0x{range.SizeBytes:x16};\n");
        }

        // Document order with depths gives the nesting without recursion: before each node,
        // close the nodes the walk has left.
        DtNode node = tree.Root;
        int depth = 0;
        int open = 0;
        do
        {
            while (open > depth)
                CloseNode(w, --open);
            if (depth > 0)
                w.Write('\n');
            Indent(w, depth);
            ReadOnlySpan<byte> name = tree.NameOf(node);
            w.Write(name.IsEmpty ? "/" : Encoding.ASCII.GetString(name));
            w.Write(" {\n");
            open = depth + 1;
            bool more = tree.TryGetFirstProperty(node, out DtProperty property);
            for (; more; more = tree.TryGetNextProperty(property, out property))
            {
                Indent(w, depth + 1);
                w.Write(Encoding.ASCII.GetString(tree.PropertyName(property)));
                WriteValue(w, tree.PropertyValue(property));
            }
        }
        while (tree.TryGetNextNode(node, ref depth, out node));
        while (open > 0)
            CloseNode(w, --open);
    }

    private static void CloseNode(TextWriter w, int depth)
    {
        Indent(w, depth);
        w.Write("};\n");
    }

    private static void Indent(TextWriter w, int depth)
    {
        for (int i = 0; i < depth; i++)
            w.Write('\t');
    }

    private enum ValueKind { String, Cells, Bytes }

    private static void WriteValue(TextWriter w, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            w.Write(";\n");
            return;
        }
        w.Write(" = ");
        switch (GuessKind(value))
        {
            case ValueKind.String:
                WriteString(w, value);
                break;
            case ValueKind.Cells:
                w.Write('<');
                for (int i = 0; i < value.Length; i += 4)
                {
                    if (i > 0)
                        w.Write(' ');
                    w.Write($"0x{System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(value.Slice(i, 4)):x2}");
                }
                w.Write('>');
                break;
            default:
                w.Write('[');
                for (int i = 0; i < value.Length; i++)
                {
                    if (i > 0)
                        w.Write(' ');
                    w.Write($"{value[i]:x2}");
                }
                w.Write(']');
                break;
        }
        w.Write(";\n");
    }

    /// <summary>dtc's guess_value_type: a string when every byte is printable, NUL or a C
    /// escape, the last is NUL and NULs are no more than the other bytes; else cells when the
    /// length is a multiple of 4; else bytes.</summary>
    private static ValueKind GuessKind(ReadOnlySpan<byte> value)
    {
        int notString = 0, nul = 0;
        foreach (byte c in value)
        {
            if (!(IsPrint(c) || c == 0 || (c >= 7 && c <= 13)))
                notString++;
            if (c == 0)
                nul++;
        }
        if (value[^1] == 0 && notString == 0 && nul <= value.Length - nul)
            return ValueKind.String;
        return value.Length % 4 == 0 ? ValueKind.Cells : ValueKind.Bytes;
    }

    private static bool IsPrint(byte c) => c >= 0x20 && c < 0x7f;

    private static void WriteString(TextWriter w, ReadOnlySpan<byte> value)
    {
        var text = new StringBuilder("\"");
        foreach (byte c in value[..^1])
        {
            switch (c)
            {
                case 7: text.Append("\\a"); break;
                case 8: text.Append("\\b"); break;
                case 9: text.Append("\\t"); break;
                case 10: text.Append("\\n"); break;
                case 11: text.Append("\\v"); break;
                case 12: text.Append("\\f"); break;
                case 13: text.Append("\\r"); break;
                case (byte)'\\': text.Append("\\\\"); break;
                case (byte)'"': text.Append("\\\""); break;
                case 0: text.Append("\\0"); break;
                default:
                    if (IsPrint(c))
                        text.Append((char)c);
                    else
                        text.Append($"\\x{c:x2}");
                    break;
            }
        }
        text.Append('"');
        w.Write(text.ToString());
    }
}
