using GuestStub.Memory;

namespace GuestStub.Simulation;

/// <summary>What the guest knows besides its tree: where the tree and its image were loaded
/// (both become reserved ranges, as in the guest) and its addressable limit.</summary>
public sealed record GuestPlacement
{
    /// <summary>The DTB's load address (its size is the blob's totalsize); null: not placed.</summary>
    public ulong? DtbAddress { get; init; }

    /// <summary>The stub image's range; null: not placed.</summary>
    public PhysicalRange? Image { get; init; }

    /// <summary>The exclusive addressable limit: 2^min(PA bits, 39) in the guest.</summary>
    public ulong AddressableLimit { get; init; } = AddressableRange.StubMappingLimit;
}
