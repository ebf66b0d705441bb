using System;

namespace GuestStub.DeviceTree;

// Property names, checked for every property during the one structure walk: the characters the
// spec allows, and no name twice in one node (dtc's property_name_chars and
// duplicate_property_names checks, both errors there; libfdt's fdt_check_full checks neither).
public static partial class DtbValidator
{
    /// <summary>Properties of one node whose names are kept for the duplicate check: their
    /// hash and name offset, on the stack (2 KiB). A node with more properties (a
    /// <c>__symbols__</c> node of a large SoC) is still checked completely: see
    /// <see cref="PropertyNames.TryAdd"/>.</summary>
    private const int NameTableSize = 256;

    private struct NameEntry
    {
        public uint Hash;
        public int NameOffset;
    }

    /// <summary>
    /// The names of the properties of the node being walked (the innermost open node: a node's
    /// properties precede its children, so only that node can still get properties). Reset at
    /// every FDT_BEGIN_NODE.
    /// </summary>
    private ref struct PropertyNames
    {
        private readonly Span<NameEntry> _table;
        private int _count;

        /// <summary>Token offset of the first property that did not fit in the table.</summary>
        private int _overflowStart;

        public PropertyNames(Span<NameEntry> table)
        {
            _table = table;
            _count = 0;
            _overflowStart = -1;
        }

        public void Reset()
        {
            _count = 0;
            _overflowStart = -1;
        }

        /// <summary>
        /// Records the property whose FDT_PROP token is at <paramref name="token"/>; false when
        /// the node already has a property of that name. The first <see cref="NameTableSize"/>
        /// properties are compared by hash (then bytes); a later one is compared with those by
        /// hash and with the other later ones by walking their tokens again, so the work is
        /// linear in the node's properties up to the table's size and quadratic only past it
        /// (a node with thousands of properties). The tokens walked have been validated.
        /// </summary>
        public bool TryAdd(ReadOnlySpan<byte> blob, int structEnd, ReadOnlySpan<byte> strings,
            int token, int nameOffset, ReadOnlySpan<byte> name, uint hash)
        {
            int inTable = Math.Min(_count, _table.Length);
            for (int i = 0; i < inTable; i++)
            {
                if (_table[i].Hash == hash && SameName(strings, _table[i].NameOffset, nameOffset, name))
                    return false;
            }
            if (_count < _table.Length)
            {
                _table[_count].Hash = hash;
                _table[_count].NameOffset = nameOffset;
            }
            else if (_overflowStart < 0)
            {
                _overflowStart = token;
            }
            else
            {
                for (int pos = _overflowStart; pos < token;)
                {
                    uint tag = Word(blob, pos);
                    if (tag == FdtLayout.Prop)
                    {
                        if (SameName(strings, (int)Word(blob, pos + 8), nameOffset, name))
                            return false;
                        pos = FdtLayout.AlignToToken(pos + FdtLayout.PropHeaderSize + (int)Word(blob, pos + 4));
                    }
                    else
                    {
                        pos += FdtLayout.TokenSize;    // FDT_NOP: nothing else lies between a node's properties
                    }
                    if (pos > structEnd)
                        break;
                }
            }
            _count++;
            return true;
        }

        /// <summary>True when the NUL-terminated name at <paramref name="otherOffset"/> is
        /// <paramref name="name"/> (whose own offset is <paramref name="nameOffset"/>).</summary>
        private static bool SameName(ReadOnlySpan<byte> strings, int otherOffset, int nameOffset, ReadOnlySpan<byte> name)
        {
            if (otherOffset == nameOffset)
                return true;
            // Both names were validated as NUL-terminated inside the strings block.
            if ((uint)otherOffset > (uint)(strings.Length - name.Length - 1))
                return false;
            return strings[otherOffset + name.Length] == 0 && strings.Slice(otherOffset, name.Length).SequenceEqual(name);
        }
    }

    /// <summary>
    /// Index of the first byte of a property name outside devicetree spec v0.4 table 2.2
    /// ([0-9a-zA-Z,._+?#-]), or -1; <paramref name="hash"/> is the name's FNV-1a hash for the
    /// duplicate check. dtc also allows '*'; the spec does not, and neither does this.
    /// (The spec's 31-character limit is not enforced: neither dtc nor Linux does, and real
    /// bindings exceed it.)
    /// </summary>
    private static int FindBadPropertyNameByte(ReadOnlySpan<byte> name, out uint hash)
    {
        hash = 2166136261;
        for (int i = 0; i < name.Length; i++)
        {
            byte c = name[i];
            if (!IsPropertyNameByte(c))
                return i;
            hash = (hash ^ c) * 16777619;
        }
        return -1;
    }

    private static bool IsPropertyNameByte(byte c)
    {
        uint lower = (uint)(c | 0x20);
        if (lower - 'a' <= 'z' - 'a' || (uint)(c - '0') <= 9)
            return true;
        return c == ',' || c == '.' || c == '_' || c == '+' || c == '?' || c == '#' || c == '-';
    }
}
