using System;
using System.IO;
using System.Linq;
using GuestStub.Analyzers.Tests.Support;
using Xunit;

namespace GuestStub.Analyzers.Tests;

/// <summary>
/// Issue 9's acceptance: a file added to src/GuestStub.Core that allocates, or one that throws,
/// makes <c>./build.sh build</c> fail with an error naming the rule, and the host build of Core
/// fails the same way. Run on a copy of the repository (<see cref="ScratchRepository"/>), so
/// nothing is ever added to the real src/.
/// </summary>
public sealed class BuildAcceptanceTests
{
    private const string Allocates = """
        namespace GuestStub;

        internal static class AcceptanceAllocates
        {
            internal static object Make() => new object();
        }
        """;

    private const string Throws = """
        namespace GuestStub;

        internal static class AcceptanceThrows
        {
            internal static void Fail() => throw new System.Exception();
        }
        """;

    // A bound, not a speed: the copy builds from nothing (restore, the host tools, the runtime).
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void ACoreFileThatAllocatesOrThrows_FailsBuildShBuildAndTheHostBuild_NamingTheRule()
    {
        string[] coreFilesBefore = CoreSourceFiles(RepoPaths.Root);
        using (var scratch = new ScratchRepository("acceptance"))
        {
            scratch.Write("src/GuestStub.Core/AcceptanceAllocates.cs", Allocates);
            scratch.Write("src/GuestStub.Core/AcceptanceThrows.cs", Throws);

            Command.Result build = Command.Run(Path.Combine(scratch.Root, "build.sh"), scratch.Root, s_buildTimeout, "build");
            Assert.True(build.ExitCode != 0, "./build.sh build succeeded:\n" + build.Output);
            AssertNamesTheRules(build.Output);
            // The guest's compilation of Core (Core against the bare-metal runtime, which the image
            // is built from) refuses the files: MSBuild ends an error line with the project it came
            // from. MSBuild stops at the first project that fails, so whether the host's Core was
            // reached depends on scheduling; the host build below checks that compilation itself.
            Assert.Contains($"error GSC001: Core must not allocate on the heap: 'new object()' creates an object of reference type 'object' (Core rules, src/GuestStub.Core/README.md) [{Path.Combine(scratch.Root, "src/GuestStub.Guest/GuestStub.Guest.csproj")}]",
                build.Output);
            Assert.Contains("build.sh: error: the build failed (errors above)", build.Output);
            Assert.False(File.Exists(Path.Combine(scratch.Root, "out", "guest.img")), "an image was written although Core does not compile");

            // ./build.sh build restored the copy; the host build of Core alone fails the same way.
            Command.Result host = Command.Run("dotnet", scratch.Root, s_buildTimeout,
                "build", "src/GuestStub.Core/GuestStub.Core.csproj", "-c", "Release", "--no-restore", "-v", "q", "-nologo");
            Assert.True(host.ExitCode != 0, "the host build of Core succeeded:\n" + host.Output);
            AssertNamesTheRules(host.Output);
        }
        Assert.Equal(coreFilesBefore, CoreSourceFiles(RepoPaths.Root));
    }

    private static void AssertNamesTheRules(string output)
    {
        Assert.Contains("src/GuestStub.Core/AcceptanceAllocates.cs(5,38): error GSC001: Core must not allocate on the heap: "
            + "'new object()' creates an object of reference type 'object' (Core rules, src/GuestStub.Core/README.md)", output);
        Assert.Contains("src/GuestStub.Core/AcceptanceThrows.cs(5,36): error GSC002: Core must not throw: "
            + "'throw new System.Exception()' throws; return an error value instead (Core rules, src/GuestStub.Core/README.md)", output);
    }

    private static string[] CoreSourceFiles(string root) =>
        Directory.GetFiles(Path.Combine(root, "src", "GuestStub.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Order(StringComparer.Ordinal).ToArray();
}
