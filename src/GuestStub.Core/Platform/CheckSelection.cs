using System;

namespace GuestStub.Platform;

/// <summary>
/// Which checks run, as <c>gueststub.checks=WORD[,WORD...]</c> selects them the way xtf-runner
/// selects tests: each word a category (<c>grant</c>: every <c>grant.*</c>), a full name
/// (<c>ext-regions.registration</c>) or <c>all</c>; without the argument, all. A word that names
/// nothing is counted (<see cref="UnknownWords"/>) and the report names it, never ignores it.
/// What a domain cannot run (another role's checks) is left out by <see cref="Applies"/>.
/// </summary>
public readonly struct CheckSelection
{
    private readonly ulong _selected;
    /// <summary>The checks a word named by name or category (not through <c>all</c>).</summary>
    private readonly ulong _named;

    /// <summary>Words of the argument that name no check and no category.</summary>
    public readonly int UnknownWords;

    private CheckSelection(ulong selected, ulong named, int unknownWords)
    {
        _selected = selected;
        _named = named;
        UnknownWords = unknownWords;
    }

    private const ulong AllChecks = (1UL << CheckCatalogue.Count) - 1;

    /// <summary>Every check: the selection without <c>gueststub.checks=</c>.</summary>
    public static CheckSelection All => new(AllChecks, 0, 0);

    /// <summary>No check at all (<c>gueststub.checks=</c> naming nothing known).</summary>
    public bool IsEmpty => _selected == 0;

    public bool Includes(Check check) => (uint)check < CheckCatalogue.Count && (_selected & (1UL << (int)check)) != 0;

    /// <summary>
    /// Named by its name or category, not only through <c>all</c> (or no argument). The checks
    /// of a configuration a domain may not have (<c>static-shm.*</c>, <c>static-mem.*</c>) do
    /// not apply where it is absent, as another role's checks do not, and print nothing; named,
    /// they end SKIP saying why, so a CI that asks for them learns they did not run.
    /// </summary>
    public bool Named(Check check) => (uint)check < CheckCatalogue.Count && (_named & (1UL << (int)check)) != 0;

    /// <summary>Selected, and one a domain of <paramref name="role"/> runs.</summary>
    public bool Applies(Check check, CheckRoles role) => Includes(check) && (CheckCatalogue.RolesOf(check) & role) != 0;

    /// <summary>The optional stages the selected checks of <paramref name="role"/> need.</summary>
    public CheckStages StagesFor(CheckRoles role)
    {
        CheckStages stages = CheckStages.None;
        for (int i = 0; i < CheckCatalogue.Count; i++)
            if (Applies((Check)i, role))
                stages |= CheckCatalogue.StagesOf((Check)i);
        return CheckCatalogue.WithPrerequisites(stages);
    }

    /// <summary>The selection <paramref name="value"/> (the text after <c>gueststub.checks=</c>) makes.</summary>
    public static CheckSelection Parse(ReadOnlySpan<byte> value)
    {
        ulong selected = 0, named = 0;
        int unknown = 0;
        int position = 0;
        while (NextWord(value, ref position, out ReadOnlySpan<byte> word))
        {
            ulong matched = Match(word);
            if (matched == 0)
                unknown++;
            selected |= matched;
            if (!word.SequenceEqual("all"u8))
                named |= matched;
        }
        return new CheckSelection(selected, named, unknown);
    }

    /// <summary>The checks <paramref name="word"/> names: a category's, one check, all, or none.</summary>
    public static ulong Match(ReadOnlySpan<byte> word)
    {
        if (word.SequenceEqual("all"u8))
            return AllChecks;
        ulong matched = 0;
        for (int i = 0; i < CheckCatalogue.Count; i++)
            if (word.SequenceEqual(CheckCatalogue.Name((Check)i)) || word.SequenceEqual(CheckCatalogue.Category((Check)i)))
                matched |= 1UL << i;
        return matched;
    }

    /// <summary>The next comma-separated word of <paramref name="value"/> at or after
    /// <paramref name="position"/> (empty words are skipped).</summary>
    public static bool NextWord(ReadOnlySpan<byte> value, ref int position, out ReadOnlySpan<byte> word)
    {
        while (position < value.Length)
        {
            int start = position;
            int comma = value.Slice(start).IndexOf((byte)',');
            int end = comma < 0 ? value.Length : start + comma;
            position = end + 1;
            if (end > start)
            {
                word = value.Slice(start, end - start);
                return true;
            }
        }
        word = default;
        return false;
    }
}
