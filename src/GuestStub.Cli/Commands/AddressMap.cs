using System.Collections.Generic;
using GuestStub.Memory;

namespace GuestStub.Cli.Commands;

/// <summary>What <see cref="AddressMapSvg"/> draws: labelled ranges in lanes, the clamp, a note.</summary>
public sealed class AddressMap
{
    public enum Lane { Ram, Reserved, Grant, Extended, Hole, Scratch }

    public sealed record Item(Lane Lane, PhysicalRange Range, string Label, bool Rejected);

    public string Title { get; init; } = "";
    public string Note { get; set; } = "";

    /// <summary>The exclusive addressable limit.</summary>
    public ulong Clamp { get; init; }

    public List<Item> Items { get; } = new();

    public void Add(Lane lane, PhysicalRange range, string label, bool rejected = false)
    {
        if (!range.IsEmpty)
            Items.Add(new Item(lane, range, label, rejected));
    }
}
