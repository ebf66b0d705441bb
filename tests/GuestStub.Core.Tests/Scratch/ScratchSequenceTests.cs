using GuestStub.Tests.Vectors;
using Xunit;

namespace GuestStub.Tests.Scratch;

/// <summary>
/// Seeded sequences of scratch-pool operations (allocate, free, double free, foreign pages,
/// batches that fail half way) over Xen's dom0 layout, the worked example and random region
/// sets: the vectors of tests/vectors/scratch-sequences.vec, whose counts and page checksums come
/// from an independent model of the pool (tests/GuestStub.Vectors.Generator,
/// Models/ScratchPoolModel.cs). The guest test image runs them too.
/// </summary>
public class ScratchSequenceTests
{
    public const string VectorFile = "scratch-sequences.vec";

    public static TheoryData<string> Sequences() => HostVectors.Names(VectorFile);

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Sequence_hands_out_exactly_the_expected_pages(string name) => HostVectors.Run(VectorFile, name);
}
