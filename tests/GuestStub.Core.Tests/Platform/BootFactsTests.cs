using GuestStub.Platform;
using GuestStub.DeviceTree;
using GuestStub.Tests.TestSupport;
using GuestStub.Tests.Vectors;
using Xunit;

namespace GuestStub.Tests.Platform;

/// <summary>
/// The boot facts of valid trees (the .dts fixtures, the trees Xen 4.17 built, small trees) and
/// the trees whose facts are refused: the vectors of tests/vectors/boot-facts.vec (written by
/// tests/GuestStub.Vectors.Generator, Suites/BootFactsSuite.cs), which the guest test image runs
/// too. Every fact is checked, as canonical text (GuestStub.Vectors' BootFactsText).
/// </summary>
public class BootFactsTests
{
    public const string VectorFile = "boot-facts.vec";

    public static TheoryData<string> Trees() => HostVectors.Names(VectorFile);

    [Theory]
    [MemberData(nameof(Trees))]
    public void Facts_are_exactly_the_expected_ones(string name) => HostVectors.Run(VectorFile, name);

    [Fact]
    public void Hypervisor_node_with_a_unit_address_is_found_by_its_path()
    {
        Assert.True(Dtb.Open(Tools.Dtb("xen-unit-address"), out Dtb tree).IsOk);
        Assert.True(BootFacts.Read(tree, default, default, out BootFacts facts).IsOk);
        Assert.True(tree.TryFindNode("/hypervisor"u8, out DtNode byPath));
        Assert.Equal(facts.Hypervisor.Node.Offset, byPath.Offset);
    }
}
