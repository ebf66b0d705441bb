using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using Xunit;

namespace GuestStub.Tests.DeviceTree;

/// <summary>
/// The check that no node has two children of the same name (issue 22, DtbValidator.Siblings.cs)
/// beyond its vectors: against a model and dtc on random trees, on shapes chosen to make it slow
/// (with the work counted, not timed), and its bound along a path.
/// </summary>
public class ChildNameTests
{
    private sealed record Node(string Name, List<Node> Children)
    {
        public Node(string name, params Node[] children) : this(name, children.ToList()) { }
    }

    /// <summary>The blob of <paramref name="root"/>, and the offset of each node's FDT_BEGIN_NODE
    /// token in document order (the root first).</summary>
    private static (byte[] Blob, List<int> Tokens) Build(Node root)
    {
        var f = new FdtBuilder();
        var tokens = new List<int>();
        void Emit(Node node)
        {
            tokens.Add(f.Mark);
            f.Begin(node.Name);
            foreach (Node child in node.Children)
                Emit(child);
            f.EndNode();
        }
        Emit(root);
        f.End();
        return (f.Build(), tokens.Select(f.At).ToList());
    }

    /// <summary>What the check must find, written the plain way: a set of names per open node
    /// and a count of the names held; the first child whose name its parent already has, or the
    /// first new one past the bound.</summary>
    private static (DtbError Error, int Offset) Model(Node root, List<int> tokens)
    {
        int index = 0, held = 0;
        (DtbError, int)? Walk(Node node)
        {
            index++;    // the node's own token
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (Node child in node.Children)
            {
                int childToken = tokens[index];
                if (!names.Add(child.Name))
                    return (DtbError.DuplicateNode, childToken);
                if (held == DtbValidator.MaxChildNamesHeld)
                    return (DtbError.TooManyChildNodes, childToken);
                held++;
                if (Walk(child) is { } found)
                    return found;
            }
            held -= names.Count;
            return null;
        }
        return Walk(root) ?? (DtbError.None, 0);
    }

    private static (DtbError Error, int Offset) Reader(byte[] blob, out long steps)
    {
        DtbStatus status = DtbValidator.Validate(blob, out _, out steps);
        return (status.Error, status.Offset);
    }

    /// <summary>A random tree whose names come from few characters, so that siblings often share
    /// a name, or a prefix, or all but the unit address.</summary>
    private static Node RandomTree(Random random, int depth = 1)
    {
        var children = new List<Node>();
        int count = depth >= 5 ? 0 : random.Next(depth == 1 ? 2 : 0, 7);
        for (int i = 0; i < count; i++)
        {
            string name = new string(Enumerable.Range(0, random.Next(1, 5)).Select(_ => "ab0-"[random.Next(4)]).ToArray());
            if (random.Next(3) == 0)
                name += "@" + new string(Enumerable.Range(0, random.Next(0, 3)).Select(_ => "01"[random.Next(2)]).ToArray());
            children.Add(RandomTree(random, depth + 1) with { Name = name });
        }
        return new Node("", children);
    }

    [Fact]
    public void The_reader_finds_what_a_set_per_node_finds_on_random_trees()
    {
        var random = new Random(22);
        int duplicates = 0, valid = 0;
        for (int i = 0; i < 3000; i++)
        {
            Node root = RandomTree(random);
            (byte[] blob, List<int> tokens) = Build(root);
            (DtbError, int) expected = Model(root, tokens);
            Assert.Equal(expected, Reader(blob, out _));
            if (expected.Item1 == DtbError.None)
                valid++;
            else
                duplicates++;
        }
        // Both outcomes, often: the comparison above is not of one kind of tree only.
        Assert.True(valid > 300 && duplicates > 300, $"{valid} valid, {duplicates} with a duplicate");
    }

    [Fact]
    public void Dtc_refuses_exactly_the_random_trees_the_reader_refuses_as_duplicates()
    {
        var random = new Random(2213);
        int refused = 0;
        string path = Path.Combine(Path.GetTempPath(), $"gueststub-children-{Guid.NewGuid():N}.dtb");
        try
        {
            for (int i = 0; i < 200; i++)
            {
                (byte[] blob, _) = Build(RandomTree(random));
                DtbError error = Reader(blob, out _).Error;
                Assert.True(error is DtbError.None or DtbError.DuplicateNode, $"tree {i}: {error}");
                File.WriteAllBytes(path, blob);
                (int exit, _, string stderr) = Tools.RunUnchecked("dtc", "-I", "dtb", "-O", "dtb", "-o", "/dev/null", path);
                bool dtcRefuses = exit != 0 && stderr.Contains("ERROR (duplicate_node_names)");
                Assert.True((error == DtbError.DuplicateNode) == dtcRefuses, $"tree {i}: reader {error}, dtc exit {exit}: {stderr}");
                Assert.True(dtcRefuses || exit == 0, $"tree {i}: dtc refused it for another reason: {stderr}");
                refused += dtcRefuses ? 1 : 0;
            }
        }
        finally
        {
            File.Delete(path);
        }
        Assert.True(refused >= 20 && refused <= 180, $"dtc refused {refused} of 200: both kinds must be there");
    }

    // Shapes that make a duplicate check slow: a pairwise one (dtc's) on many or long names, a
    // hashed one on names that collide, a crit-bit walk on names nested in each other, or a
    // walk that would follow a long name's bits with a short one. For each, the steps the check
    // took (links followed and bytes compared) stay within 17 n + 1 per name of n bytes (its
    // NUL included): the work is linear in the names, whatever they are.

    private static IEnumerable<string> ShortNames(int count) => Enumerable.Range(0, count).Select(FdtBuilder.ShortNodeName);

    /// <summary>Names sharing their first 1,000 bytes, differing in the last two.</summary>
    private static IEnumerable<string> LongNamesSharingAPrefix(int count) =>
        ShortNames(count).Select(suffix => new string('x', 1000) + suffix);

    /// <summary>a, aa, aaa, ...: each a prefix of the next, so every crit bit is at a NUL.</summary>
    private static IEnumerable<string> Comb(int count) => Enumerable.Range(1, count).Select(n => new string('a', n));

    /// <summary>Names that all have the same Java String.hashCode ("Aa" and "BB" do; so does
    /// any string of them of one length): 2^11 of them.</summary>
    private static IEnumerable<string> HashCollisions(int count) =>
        Enumerable.Range(0, count).Select(i => string.Concat(Enumerable.Range(0, 11).Select(bit => ((i >> bit) & 1) == 0 ? "Aa" : "BB")));

    /// <summary>Long names y1, y01, y001, ... (their crit bits one below the other, each at bit 0
    /// of a byte), then short names y + two characters whose bit 0 is clear (yb, y0d, ...): a
    /// crit-bit walk led by a short name's bits alone (djb's, treating the bytes past its end as
    /// zero) would follow every long name down.</summary>
    private static IEnumerable<string> DeepThenShort(int count)
    {
        const string even = "02468bdfhjlnprtvxzBDFHJLNPRTVXZ,.";
        return Enumerable.Range(0, count / 2).Select(i => "y" + new string('0', i) + "1")
            .Concat(Enumerable.Range(0, count - count / 2).Select(i => $"y{even[i / even.Length]}{even[i % even.Length]}"));
    }

    public static TheoryData<string, int> Shapes() => new()
    {
        { "short names", 2000 }, { "long names sharing a prefix", 2000 }, { "comb, shortest first", 1000 },
        { "comb, longest first", 1000 }, { "hash collisions", 2048 }, { "deep then short", 2000 },
    };

    private static List<string> Shape(string shape, int count) => (shape switch
    {
        "short names" => ShortNames(count),
        "long names sharing a prefix" => LongNamesSharingAPrefix(count),
        "comb, shortest first" => Comb(count),
        "comb, longest first" => Comb(count).Reverse(),
        "hash collisions" => HashCollisions(count),
        "deep then short" => DeepThenShort(count),
        _ => throw new ArgumentException(shape),
    }).ToList();

    private static long Bound(IEnumerable<string> names) => names.Sum(name => 17L * (name.Length + 1) + 1);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Adversarial_siblings_take_steps_linear_in_their_names(string shape, int count)
    {
        List<string> names = Shape(shape, count);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        if (shape == "hash collisions")
            Assert.Single(names.Select(JavaHashCode).Distinct());
        (byte[] blob, _) = Build(new Node("", names.Select(n => new Node(n)).ToArray()));
        Assert.Equal((DtbError.None, 0), Reader(blob, out long steps));
        Assert.InRange(steps, 1, Bound(names));

        // Half the names take at most a little over half the steps: no per-name cost grows with
        // the number of names held (dtc's pairwise check takes four times the work for twice the
        // names; on the long names, 2 billion byte compares for these 2,000).
        List<string> half = Shape(shape, count / 2);
        (byte[] halfBlob, _) = Build(new Node("", half.Select(n => new Node(n)).ToArray()));
        Assert.Equal((DtbError.None, 0), Reader(halfBlob, out long halfSteps));
        double perByte = (double)steps / names.Sum(n => n.Length + 1), halfPerByte = (double)halfSteps / half.Sum(n => n.Length + 1);
        Assert.True(perByte <= halfPerByte * 1.1 + 0.5, $"{steps} steps for {names.Count} names, {halfSteps} for {half.Count}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Adversarial_siblings_with_a_duplicate_at_the_end_are_refused_there(string shape, int count)
    {
        List<string> names = Shape(shape, count - 1);
        names.Add(names[names.Count / 3]);
        (byte[] blob, List<int> tokens) = Build(new Node("", names.Select(n => new Node(n)).ToArray()));
        Assert.Equal((DtbError.DuplicateNode, tokens[^1]), Reader(blob, out long steps));
        Assert.InRange(steps, 1, Bound(names));
    }

    [Fact]
    public void Short_names_after_deep_long_ones_take_steps_linear_in_their_own_length()
    {
        // The sums above would hide a walk slow on the short names alone: their bounds are
        // small next to the long names'. So the short names' steps on their own: the tree's with
        // them less the tree's without them. A walk down the long names' crit bits would take
        // about 1,000 links for each of them.
        List<string> names = DeepThenShort(2000).ToList();
        List<string> longOnes = names.Take(1000).ToList(), shortOnes = names.Skip(1000).ToList();
        (byte[] all, _) = Build(new Node("", names.Select(n => new Node(n)).ToArray()));
        (byte[] longOnly, _) = Build(new Node("", longOnes.Select(n => new Node(n)).ToArray()));
        Assert.Equal((DtbError.None, 0), Reader(all, out long steps));
        Assert.Equal((DtbError.None, 0), Reader(longOnly, out long longSteps));
        Assert.InRange(steps - longSteps, shortOnes.Count, Bound(shortOnes));
    }

    private static int JavaHashCode(string s) => s.Aggregate(0, (hash, c) => unchecked(hash * 31 + c));

    [Fact]
    public void A_deep_tree_with_children_at_every_level_takes_linear_steps()
    {
        // 62 nested nodes under the root, each with 32 children (the last one the next level):
        // 1,984 names held at the deepest, nested 63 deep.
        Node Level(int depth) => new(depth == 1 ? "" : "n31",
            ShortNames(31).Select(n => new Node(n)).Append(depth < 63 ? Level(depth + 1) : new Node("n31")).ToArray());
        Node root = Level(1);
        (byte[] blob, List<int> tokens) = Build(root);
        Assert.Equal((DtbError.None, 0), Reader(blob, out long steps));
        Assert.InRange(steps, 1, 63 * Bound(ShortNames(31).Append("n31")));
    }

    // The bound: names held at once, for the open nodes together.

    /// <summary>A root with <paramref name="rootChildren"/> children r0.. (the last one open
    /// around the rest) and under the last <paramref name="innerChildren"/> children n0..</summary>
    private static Node AlongAPath(int rootChildren, int innerChildren)
    {
        var inner = ShortNames(innerChildren).Select(n => new Node(n)).ToArray();
        var children = Enumerable.Range(0, rootChildren).Select(i => new Node($"r{i}", i == rootChildren - 1 ? inner : Array.Empty<Node>()));
        return new Node("", children.ToArray());
    }

    [Theory]
    [InlineData(1024, 1024)]
    [InlineData(1, DtbValidator.MaxChildNamesHeld - 1)]
    [InlineData(DtbValidator.MaxChildNamesHeld - 1, 1)]
    public void Names_held_along_a_path_are_valid_up_to_the_bound_and_refused_past_it(int rootChildren, int innerChildren)
    {
        Node atBound = AlongAPath(rootChildren, innerChildren);
        (byte[] blob, List<int> tokens) = Build(atBound);
        Assert.Equal((DtbError.None, 0), Reader(blob, out _));

        Node past = AlongAPath(rootChildren, innerChildren + 1);
        (blob, tokens) = Build(past);
        Assert.Equal((DtbError.TooManyChildNodes, tokens[^1]), Reader(blob, out _));
        Assert.Equal(Model(past, tokens), Reader(blob, out _));
    }

    [Fact]
    public void Names_held_over_63_levels_count_toward_the_bound()
    {
        // 32 children at each of 64 levels would be 2,048 names held; the deepest level (depth
        // 64) can have no children, so the last level takes 64.
        Node Level(int depth, int extra) => new(depth == 1 ? "" : "n31",
            ShortNames(depth == 63 ? 63 + extra : 31).Select(n => new Node(n))
                .Append(depth < 63 ? Level(depth + 1, extra) : new Node("zz")).ToArray());
        (byte[] blob, _) = Build(Level(1, 0));
        Assert.Equal((DtbError.None, 0), Reader(blob, out _));
        Node past = Level(1, 1);
        List<int> tokens;
        (blob, tokens) = Build(past);
        (DtbError, int) expected = Model(past, tokens);
        Assert.Equal(DtbError.TooManyChildNodes, expected.Item1);
        Assert.Equal(expected, Reader(blob, out _));
    }

    [Fact]
    public void A_duplicate_past_the_bound_is_named_a_duplicate()
    {
        // Held names are compared before a new one needs room.
        var names = ShortNames(DtbValidator.MaxChildNamesHeld).Append(FdtBuilder.ShortNodeName(7)).ToList();
        (byte[] blob, List<int> tokens) = Build(new Node("", names.Select(n => new Node(n)).ToArray()));
        Assert.Equal((DtbError.DuplicateNode, tokens[^1]), Reader(blob, out _));
    }

    [Fact]
    public void Names_are_dropped_when_their_node_closes()
    {
        // Three nodes of 1,100 children each, one after the other: 3,300 children in all,
        // never more than 1,103 held; the third's own duplicate is still found.
        Node Bus(int b, bool duplicate) => new($"bus@{b}",
            ShortNames(1100).Select(n => new Node(n)).Concat(duplicate ? new[] { new Node("0a") } : Array.Empty<Node>()).ToArray());
        (byte[] blob, _) = Build(new Node("", Bus(0, false), Bus(1, false), Bus(2, false)));
        Assert.Equal((DtbError.None, 0), Reader(blob, out _));
        Node withDuplicate = new("", Bus(0, false), Bus(1, false), Bus(2, true));
        List<int> tokens;
        (blob, tokens) = Build(withDuplicate);
        Assert.Equal((DtbError.DuplicateNode, tokens[^1]), Reader(blob, out _));
    }
}
