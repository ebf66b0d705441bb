using System;

namespace GuestStub.DeviceTree;

// Property names, checked for every property during the one structure walk: the characters the
// spec allows, and no name twice in one node (dtc's property_name_chars and
// duplicate_property_names checks, both errors there; libfdt's fdt_check_full checks neither).
public static partial class DtbValidator
{
    /// <summary>Properties of one node whose names are kept for the duplicate check: their
    /// key (<see cref="NameKey"/>) and name offset, on the stack (2 KiB). A node with more properties (a
    /// <c>__symbols__</c> node of a large SoC) is still checked completely: see
    /// <see cref="PropertyNames.Add"/>.</summary>
    private const int NameTableSize = 256;

    /// <summary>The most properties one node may have: the duplicate check compares a property
    /// past the name table with every one before it, so a node of n properties costs about
    /// (n - 256)^2 / 2 token reads. The bound holds for the whole tree
    /// (<see cref="MaxWalkedProperties"/>): several large nodes share it. One node at it,
    /// validated on the host: 0.25 s. dtc has no bound; without one, a tree from an attacker
    /// could hold one node of 700,000 properties within the 8 MiB cap (hours), or many nodes of
    /// a few thousand each. Real nodes stay far below it: the largest, a big SoC's
    /// <c>__symbols__</c>, have a few thousand.</summary>
    public const int MaxPropertiesPerNode = 8192;

    /// <summary>The token reads the whole tree's duplicate check may make past the name tables:
    /// those of one node of <see cref="MaxPropertiesPerNode"/> properties (its property p, from
    /// the 257th, reads the p - 257 before it), 31,486,080.</summary>
    private const long MaxWalkedProperties = (long)(MaxPropertiesPerNode - NameTableSize - 1) * (MaxPropertiesPerNode - NameTableSize) / 2;

    private struct NameEntry
    {
        public uint Key;
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

        /// <summary>What is left of <see cref="MaxWalkedProperties"/>; never reset.</summary>
        private long _walkBudget;

        public PropertyNames(Span<NameEntry> table)
        {
            _table = table;
            _count = 0;
            _overflowStart = -1;
            _walkBudget = MaxWalkedProperties;
        }

        public void Reset()
        {
            _count = 0;
            _overflowStart = -1;
        }

        /// <summary>
        /// Records the property whose FDT_PROP token is at <paramref name="token"/>:
        /// DuplicateProperty when the node already has a property of that name,
        /// TooManyProperties when comparing it would pass the tree's bound. The first
        /// <see cref="NameTableSize"/> properties are kept in the table: each new property is
        /// compared with every key there (a word compare; names are compared byte by byte only
        /// on equal keys), at most 32,640 compares for a node that fills it. A property past the
        /// table is compared with the table's keys and with the other properties past it by
        /// walking their tokens again: quadratic in the properties past 256, as dtc's own check
        /// is quadratic, within <see cref="MaxWalkedProperties"/> for the whole tree (measured on
        /// the host: 2,000 properties in one node, a large SoC's __symbols__, tens of
        /// milliseconds; 8,192, the bound, 0.25 s). The tokens walked have been validated.
        /// </summary>
        public DtbError Add(ReadOnlySpan<byte> blob, int structEnd, ReadOnlySpan<byte> strings,
            int token, int nameOffset, ReadOnlySpan<byte> name, uint key)
        {
            int inTable = Math.Min(_count, _table.Length);
            for (int i = 0; i < inTable; i++)
            {
                if (_table[i].Key == key && SameName(strings, _table[i].NameOffset, nameOffset, name))
                    return DtbError.DuplicateProperty;
            }
            if (_count < _table.Length)
            {
                _table[_count].Key = key;
                _table[_count].NameOffset = nameOffset;
            }
            else if (_overflowStart < 0)
            {
                _overflowStart = token;
            }
            else
            {
                _walkBudget -= _count - _table.Length;
                if (_walkBudget < 0)
                    return DtbError.TooManyProperties;
                for (int pos = _overflowStart; pos < token;)
                {
                    uint tag = Word(blob, pos);
                    if (tag == FdtLayout.Prop)
                    {
                        if (SameName(strings, (int)Word(blob, pos + 8), nameOffset, name))
                            return DtbError.DuplicateProperty;
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
            return DtbError.None;
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
    /// True when every byte of the strings block is NUL or a character property names may hold:
    /// then no name can hold a bad one and the per-property check is skipped. One pass over the
    /// block (names are shared between properties, so it is a fraction of the names' total
    /// length); a block with anything else falls back to checking each name, so the error offset
    /// is still that of the first bad byte of a name actually used.
    /// </summary>
    private static bool StringsHoldOnlyNameBytes(ReadOnlySpan<byte> strings)
    {
        for (int i = 0; i < strings.Length; i++)
        {
            byte c = strings[i];
            if (c != 0 && !IsPropertyNameByte(c))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Index of the first byte of a property name outside devicetree spec v0.4 table 2.2
    /// ([0-9a-zA-Z,._+?#-]), or -1. dtc also allows '*'; the spec does not, and neither does
    /// this. (The spec's 31-character limit is not enforced: neither dtc nor Linux does, and real
    /// bindings exceed it.)
    /// </summary>
    private static int FindBadPropertyNameByte(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            if (!IsPropertyNameByte(name[i]))
                return i;
        }
        return -1;
    }

    /// <summary>A cheap key for the duplicate check: the length and the first and last bytes.
    /// Equal names have equal keys; names with equal keys are compared byte by byte.</summary>
    private static uint NameKey(ReadOnlySpan<byte> name)
    {
        uint key = (uint)name.Length * 0x9E3779B1;
        int n = name.Length;
        if (n == 0)
            return key;
        key ^= name[0] | (uint)name[n - 1] << 8 | (uint)name[n / 2] << 16 | (uint)name[(n - 1) / 3] << 24;
        return key;
    }

    // The name characters as bit sets over 0x00-0x3f and 0x40-0x7f: a shift and a mask per byte,
    // for the validator walks every name's every byte (node names in the structure block cannot
    // be checked once for the whole blob, as property names are).
    /// <summary>'+' ',' '-' '.' (0x2b-0x2e) and '0'-'9' (0x30-0x39): the low half of a node name's set.</summary>
    private const ulong NodeNameLow = (0xFUL << 0x2B) | (0x3FFUL << 0x30);
    /// <summary>The node name's low half and '#' (0x23) and '?' (0x3f).</summary>
    private const ulong PropertyNameLow = NodeNameLow | (1UL << 0x23) | (1UL << 0x3F);
    /// <summary>'A'-'Z' (0x41-0x5a), '_' (0x5f) and 'a'-'z' (0x61-0x7a), from 0x40: both sets' high half.</summary>
    private const ulong NameHigh = (0x3FFFFFFUL << 0x01) | (1UL << 0x1F) | (0x3FFFFFFUL << 0x21);

    private static bool InNameSet(byte c, ulong low) =>
        c < 64 ? ((low >> c) & 1) != 0 : c < 128 && ((NameHigh >> (c - 64)) & 1) != 0;

    /// <summary>Spec v0.4 table 2.2: [0-9a-zA-Z,._+?#-].</summary>
    private static bool IsPropertyNameByte(byte c) => InNameSet(c, PropertyNameLow);

    /// <summary>Spec v0.4 table 2.1: [0-9a-zA-Z,._+-] (and '@' once, before the unit address,
    /// which <see cref="FindBadNameByte"/> handles).</summary>
    private static bool IsNodeNameByte(byte c) => InNameSet(c, NodeNameLow);
}
