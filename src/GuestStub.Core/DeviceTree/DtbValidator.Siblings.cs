using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GuestStub.DeviceTree;

// Node names, checked for every node during the one structure walk: no two children of a node
// have the same name, unit address included (dtc's duplicate_node_names check, an error there:
// it compares each child's full name with every later sibling's; libfdt's fdt_check_full does not
// check it, and a path lookup in such a tree finds whichever sibling comes first).
public static partial class DtbValidator
{
    /// <summary>
    /// The most child-node names the duplicate check holds at once: the names of the children
    /// seen so far of every open node (the node being walked and its ancestors; a node's
    /// children's names are dropped when it closes). One node can have this many children less
    /// the names its ancestors hold. The trees of this repository hold far fewer: 47 for Xen's
    /// dom0 tree, 49 for QEMU virt's, 129 for the 4,099-node benchmark tree (66 children of the
    /// root, 63 of a bus). The bound is memory, not time (a name costs the same whatever the
    /// names held, <see cref="ChildNames.Add"/>): 13 bytes a name on the stack, 26 KiB at the
    /// bound, of the guest's 64 KiB stack (linker/guest.ld). dtc has no bound.
    /// </summary>
    public const int MaxChildNamesHeld = 2048;

    /// <summary>Most steps (links followed and bytes compared) <see cref="ChildNames.Add"/>
    /// takes per byte of a name, its NUL included: for n bytes at most 8 n links and 9 n + 1
    /// bytes compared, 17 n + 1 steps.</summary>
    public const int ChildNameStepsPerByte = 18;

    /// <summary>One child name held: the name, and the inner node of the crit-bit tree whose
    /// insertion made it (the first name of a node makes none and uses no crit field).</summary>
    private struct ChildEntry
    {
        /// <summary>Offset of the name in the blob (validated: NUL-terminated, in the structure block).</summary>
        public int NameOffset;

        /// <summary>As an inner node: the byte where the names below it first differ; the
        /// bit within it is <see cref="ChildNames"/>' mask of this entry.</summary>
        public int CritByte;

        /// <summary>As an inner node: the subtrees for that bit 0 and 1, each a link
        /// (<see cref="ChildNames.LeafLink"/>).</summary>
        public ushort Zero, One;
    }

    /// <summary>
    /// The children's names of every open node, as one crit-bit tree per node (a binary trie
    /// that branches only where names differ: D. J. Bernstein's crit-bit trees, Morrison's
    /// PATRICIA) in one stack of <see cref="MaxChildNamesHeld"/> entries: a node's children are
    /// added while its own subtree is the innermost open one, so its entries are always on top.
    /// Each entry is a name (a leaf) and, from the second name of a node on, also the inner node
    /// its insertion made. No hashing: nothing an input can make collide.
    /// </summary>
    private ref struct ChildNames
    {
        /// <summary>A link with this bit is a leaf: the name of the entry it indexes; without it,
        /// an inner node. <see cref="NoLink"/>: the node has no child yet.</summary>
        public const ushort LeafLink = 0x8000;
        private const ushort NoLink = 0xFFFF;
        private const int IndexMask = LeafLink - 1;

        private readonly Span<ChildEntry> _entries;
        /// <summary>Per entry, as an inner node: its crit bit within <see cref="ChildEntry.CritByte"/>,
        /// 0x80 the first (names are compared as big-endian bit strings).</summary>
        private readonly Span<byte> _critMasks;
        /// <summary>Per depth (the root is 1): the root link of that node's children's tree.</summary>
        private readonly Span<ushort> _roots;
        /// <summary>Per depth: the first entry of that node's children.</summary>
        private readonly Span<ushort> _firsts;
        private int _count;

        /// <summary>Links followed and bytes compared so far: the work of the check, which
        /// <see cref="ChildNameStepsPerByte"/> bounds.</summary>
        public long Steps;

        public ChildNames(Span<ChildEntry> entries, Span<byte> critMasks, Span<ushort> roots, Span<ushort> firsts)
        {
            _entries = entries;
            _critMasks = critMasks;
            _roots = roots;
            _firsts = firsts;
            _count = 0;
            Steps = 0;
        }

        /// <summary>The node at <paramref name="depth"/> opens: no children yet.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Open(int depth)
        {
            _roots[depth] = NoLink;
            _firsts[depth] = (ushort)_count;
        }

        /// <summary>The node at <paramref name="depth"/> closes: its children's names are dropped.</summary>
        public void Close(int depth) => _count = _firsts[depth];

        /// <summary>
        /// Adds the name at <paramref name="nameOffset"/> (<paramref name="length"/> bytes before
        /// its NUL) to the children of the node open at <paramref name="parentDepth"/>:
        /// DuplicateNode when that node already has a child of that name, TooManyChildNodes when
        /// it is new and <see cref="MaxChildNamesHeld"/> names are held.
        /// <para>
        /// One walk down the tree, comparing as it goes. Every inner node holds a name from below
        /// it, so it has all the bytes its subtree shares: the new name is compared with it up to
        /// the node's crit bit, and where they differ first is where the new name leaves the tree
        /// and is inserted (crit-bit insertion without djb's second walk from the root). Where
        /// they agree, the crit bit chooses the way down. At a leaf the names are compared to the
        /// NUL: agreeing all the way, they are the same.
        /// </para>
        /// <para>
        /// Why the work is linear in the new name, whatever the names held (n bytes with its NUL:
        /// at most 17 n + 1 steps): crit positions strictly grow down the tree, and the walk goes down
        /// only through nodes whose crit byte the new name reaches (it differs from the node's
        /// name before its own NUL otherwise, and stops there), so at most 8 n links; the bytes
        /// compared at a node run from the crit byte of the node above to its own, so together
        /// they are the name once plus one byte per node visited, at most n + 8 n + 1. No hashing,
        /// so nothing to collide; no name is ever compared twice from its start. Memory: one
        /// entry a name.
        /// </para>
        /// </summary>
        public DtbError Add(ReadOnlySpan<byte> blob, int parentDepth, int nameOffset, int length)
        {
            ref ushort slot = ref _roots[parentDepth];
            if (slot == NoLink)
                return Insert(ref slot, nameOffset, 0, 0, false);

            ReadOnlySpan<byte> name = blob.Slice(nameOffset, length + 1);    // with its NUL
            // Entries are read unchecked: every link indexes an entry written before it. So are
            // the bytes of an inner node's name up to its crit byte, once checked to lie in the
            // blob (they do: the name was validated, and its crit byte is at most its length).
            ref ChildEntry entries = ref MemoryMarshal.GetReference(_entries);
            ref byte masks = ref MemoryMarshal.GetReference(_critMasks);
            ref byte blobStart = ref MemoryMarshal.GetReference(blob);
            // The name agrees with every name below slot on the bytes before `from`, and on the
            // bits of byte `from` down to the crit bit of the node above.
            int from = 0, descents = 0, at;
            byte mask;
            while (true)
            {
                int link = slot;
                if ((link & LeafLink) != 0)
                {
                    // A leaf: compare to the NUL.
                    int leafName = Unsafe.Add(ref entries, link & IndexMask).NameOffset;
                    at = from;
                    while (at <= length && name[at] == blob[leafName + at])
                        at++;
                    if (at > length)
                    {
                        Steps += at + 2 * descents + 1;
                        return DtbError.DuplicateNode;
                    }
                    mask = HighestBit((byte)(name[at] ^ blob[leafName + at]));
                    break;
                }
                // An inner node: its name has no NUL before its crit byte, so the names differ
                // there at the new name's NUL at the latest.
                ref ChildEntry node = ref Unsafe.Add(ref entries, link);
                int to = node.CritByte;
                if ((uint)(node.NameOffset + to) >= (uint)blob.Length)
                    return DtbError.BadStructure;    // cannot be (above); keeps the reads below in the blob
                ref byte other = ref Unsafe.Add(ref blobStart, node.NameOffset);
                at = from;
                while (at < to && name[at] == Unsafe.Add(ref other, at))
                    at++;
                if (at < to)
                {
                    mask = HighestBit((byte)(name[at] ^ Unsafe.Add(ref other, at)));
                    break;
                }
                // Byte `to`: the bits above the crit bit must agree too, and the crit bit chooses.
                byte crit = Unsafe.Add(ref masks, link);
                byte own = name[to];
                int differing = (own ^ Unsafe.Add(ref other, to)) & ~((crit << 1) - 1);
                if (differing != 0)
                {
                    mask = HighestBit((byte)differing);
                    break;
                }
                descents++;
                from = to;
                slot = ref ((own & crit) != 0 ? ref node.One : ref node.Zero);
            }
            // Bytes compared: `at` in all, again the byte each descent started from, and the
            // last one; and the links followed.
            Steps += at + 2 * descents + 1;
            return Insert(ref slot, nameOffset, at, mask, (name[at] & mask) != 0);
        }

        /// <summary>The highest set bit of <paramref name="bits"/> (not 0): the first bit, in the
        /// names' big-endian bit order, where two bytes differ.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static byte HighestBit(byte bits)
        {
            int smeared = bits | bits >> 1;
            smeared |= smeared >> 2;
            smeared |= smeared >> 4;
            return (byte)(smeared & ~(smeared >> 1));
        }

        /// <summary>A new entry for the name at <paramref name="nameOffset"/>, linked in at
        /// <paramref name="slot"/>: as an inner node at (<paramref name="critByte"/>,
        /// <paramref name="mask"/>) with its own name on side <paramref name="one"/> and what
        /// <paramref name="slot"/> held on the other; as a plain leaf when the node had no child.</summary>
        private DtbError Insert(ref ushort slot, int nameOffset, int critByte, byte mask, bool one)
        {
            if (_count == _entries.Length)
                return DtbError.TooManyChildNodes;
            int index = _count++;
            ref ChildEntry entry = ref _entries[index];
            entry.NameOffset = nameOffset;
            entry.CritByte = critByte;
            _critMasks[index] = mask;
            ushort leaf = (ushort)(index | LeafLink);
            if (slot == NoLink)
            {
                slot = leaf;
                return DtbError.None;
            }
            entry.Zero = one ? slot : leaf;
            entry.One = one ? leaf : slot;
            slot = (ushort)index;
            return DtbError.None;
        }
    }
}
