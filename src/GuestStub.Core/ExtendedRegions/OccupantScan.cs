using System;
using GuestStub.DeviceTree;
using GuestStub.Memory;

namespace GuestStub.ExtendedRegions;

/// <summary>
/// What one walk of <see cref="GuestPhysicalSpace"/> looks for, both at once (one walker in the
/// guest's image rather than one per question): the first occupant overlapping
/// <see cref="Region"/>, and around <see cref="Cursor"/> the end of whatever covers it
/// (<see cref="CoverEnd"/>) and the lowest start above it (<see cref="NextStart"/>).
/// </summary>
public struct OccupantScan
{
    public PhysicalRange Region;
    public Occupant Found;
    public PhysicalRange FoundPages;
    /// <summary>The offset of the node behind <see cref="Found"/>, or -1.</summary>
    public int FoundNode;

    public ulong Cursor;
    public ulong CoverEnd;
    public ulong NextStart;

    /// <summary><paramref name="pages"/> is held by <paramref name="occupant"/>, as
    /// <paramref name="node"/> (its offset, or -1) says.</summary>
    public void Occupied(PhysicalRange pages, Occupant occupant, int node)
    {
        if (Found == Occupant.None && pages.Overlaps(Region))
        {
            Found = occupant;
            FoundPages = pages;
            FoundNode = node;
        }
        if (pages.Contains(Cursor))
            CoverEnd = Math.Max(CoverEnd, pages.End);
        else if (pages.Start > Cursor && pages.Start < NextStart)
            NextStart = pages.Start;
    }
}
