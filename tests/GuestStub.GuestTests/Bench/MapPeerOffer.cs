namespace GuestStub.GuestTests;

/// <summary>
/// What the peer's control page (<see cref="MapControlPage"/>) offers, read once by dom0 into its
/// own memory: its ports, its data grants, its RAM and the ranges it wrote the pattern into.
/// </summary>
internal unsafe struct MapPeerOffer
{
    public ushort Domid;
    public uint PingPort;
    public uint ControlPort;
    public uint FirstDataRef;
    public uint DataGrants;
    public ulong DataGfn;
    public int RamBanks;
    public fixed ulong RamGfn[MapControlPage.MaxRamBanks];
    public fixed ulong RamPages[MapControlPage.MaxRamBanks];
    public int PatternRanges;
    public fixed ulong PatternGfn[MapControlPage.MaxPatternRanges];
    public fixed ulong PatternPages[MapControlPage.MaxPatternRanges];

    /// <summary>False when the page is not a peer's offer from <paramref name="domid"/>.</summary>
    public static bool TryRead(byte* page, ushort domid, out MapPeerOffer offer)
    {
        offer = default;
        if (!MapControlPage.IsValid(page, domid))
            return false;
        offer.Domid = domid;
        offer.PingPort = MapControlPage.PingPort(page);
        offer.ControlPort = MapControlPage.ControlPort(page);
        offer.FirstDataRef = MapControlPage.FirstDataRef(page);
        offer.DataGrants = MapControlPage.DataGrants(page);
        offer.DataGfn = MapControlPage.DataGfn(page);
        offer.RamBanks = MapControlPage.RamBanks(page);
        for (int i = 0; i < offer.RamBanks; i++)
        {
            offer.RamGfn[i] = MapControlPage.RamGfn(page, i);
            offer.RamPages[i] = MapControlPage.RamPages(page, i);
        }
        offer.PatternRanges = MapControlPage.PatternRanges(page);
        for (int i = 0; i < offer.PatternRanges; i++)
        {
            offer.PatternGfn[i] = MapControlPage.PatternGfn(page, i);
            offer.PatternPages[i] = MapControlPage.PatternPages(page, i);
        }
        return true;
    }

    /// <summary>True when frame <paramref name="gfn"/> holds the pattern.</summary>
    public readonly bool InPattern(ulong gfn)
    {
        for (int i = 0; i < PatternRanges; i++)
        {
            if (gfn - PatternGfn[i] < PatternPages[i])
                return true;
        }
        return false;
    }

    public readonly ulong PatternPageCount
    {
        get
        {
            ulong n = 0;
            for (int i = 0; i < PatternRanges; i++)
                n += PatternPages[i];
            return n;
        }
    }

    public readonly ulong RamPageCount
    {
        get
        {
            ulong n = 0;
            for (int i = 0; i < RamBanks; i++)
                n += RamPages[i];
            return n;
        }
    }

    /// <summary>Writes the first <paramref name="count"/> pattern frames, in range order, into
    /// <paramref name="frames"/>; how many there were.</summary>
    public readonly int PatternFrames(System.Span<ulong> frames, int count)
    {
        int n = 0;
        for (int i = 0; i < PatternRanges && n < count; i++)
            for (ulong p = 0; p < PatternPages[i] && n < count; p++)
                frames[n++] = PatternGfn[i] + p;
        return n;
    }

    /// <summary>Writes the RAM frames, bank by bank, into <paramref name="frames"/> (at most its
    /// length); how many there were.</summary>
    public readonly int RamFrames(System.Span<ulong> frames)
    {
        int n = 0;
        for (int i = 0; i < RamBanks; i++)
            for (ulong p = 0; p < RamPages[i] && n < frames.Length; p++)
                frames[n++] = RamGfn[i] + p;
        return n;
    }
}
