using Xunit;

namespace GuestStub.Tests.Vectors;

/// <summary>
/// BitOperations, BinaryPrimitives, IndexOf and SequenceEqual on edge values: the vectors of
/// tests/vectors/runtime-primitives.vec. On the host they hold .NET's BCL to the values it wrote
/// itself (a change of platform shows here first); their point is the guest, where the same
/// vectors run against the project's own corelib (src/GuestStub.Runtime).
/// </summary>
public class RuntimePrimitiveTests
{
    public const string VectorFile = "runtime-primitives.vec";

    public static TheoryData<string> Primitives() => HostVectors.Names(VectorFile);

    [Theory]
    [MemberData(nameof(Primitives))]
    public void Primitive_gives_the_BCL_result(string name) => HostVectors.Run(VectorFile, name);
}
