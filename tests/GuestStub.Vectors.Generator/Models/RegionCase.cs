using System.Collections.Generic;
using System.Linq;

namespace GuestStub.Vectors.Generator;

/// <summary>A range as the model sees it: start and size (an end past 2^64 is representable only
/// as such a pair), with its end as a 128-bit-safe comparison helper.</summary>
public readonly record struct Span64(ulong Start, ulong Size)
{
    public bool EndOverflows => Size > ulong.MaxValue - Start;
    public ulong End => Start + Size;
    public bool IsEmpty => Size == 0;

    /// <summary>PhysicalRange.Overlaps, restated: both non-empty and intersecting.</summary>
    public bool Overlaps(Span64 other) => Size != 0 && other.Size != 0 && Start < other.End && other.Start < End;

    public static Span64 FromBounds(ulong start, ulong end) => new(start, end - start);
}

/// <summary>The inputs of one extended-region registration, as a vector carries them.</summary>
public sealed record RegionCase
{
    public Span64 Grant { get; init; }
    public List<Span64> Regions { get; init; } = new();
    public List<Span64> Ram { get; init; } = new();
    public List<Span64> Reserved { get; init; } = new();
    public Span64 Dtb { get; init; }
    public Span64 Image { get; init; }
    public Span64 Clamp { get; init; }
    public List<Span64> Probes { get; init; } = new();

    /// <summary>Writes the inputs as fields of <paramref name="record"/>.</summary>
    public VectorFileWriter.Record Fields(VectorFileWriter.Record record)
    {
        if (!Grant.IsEmpty)
            record.Pair(VectorTag.GrantRegion, Grant.Start, Grant.Size);
        foreach (Span64 r in Regions)
            record.Pair(VectorTag.Region, r.Start, r.Size);
        foreach (Span64 r in Ram)
            record.Pair(VectorTag.Ram, r.Start, r.Size);
        foreach (Span64 r in Reserved)
            record.Pair(VectorTag.Reserved, r.Start, r.Size);
        if (!Dtb.IsEmpty)
            record.Pair(VectorTag.DtbRange, Dtb.Start, Dtb.Size);
        if (!Image.IsEmpty)
            record.Pair(VectorTag.ImageRange, Image.Start, Image.Size);
        record.Pair(VectorTag.Clamp, Clamp.Start, Clamp.Size);
        foreach (Span64 p in Probes)
            record.Pair(VectorTag.Probe, p.Start, p.Size);
        return record;
    }

    public static RegionCase Of(Span64 clamp, Span64 grant, params (ulong Start, ulong End)[] regions) => new()
    {
        Clamp = clamp,
        Grant = grant,
        Regions = regions.Select(r => Span64.FromBounds(r.Start, r.End)).ToList(),
    };
}
