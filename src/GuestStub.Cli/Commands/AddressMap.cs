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

    /// <summary>"128 MiB", "1 TiB", "3.5 GiB": binary units, one decimal when not whole.</summary>
    public static string Size(ulong bytes)
    {
        string[] units = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value == System.Math.Floor(value) ? $"{value:0} {units[unit]}" : $"{value:0.#} {units[unit]}";
    }
}
