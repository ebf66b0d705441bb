using System;
using System.IO;

namespace GuestStub.Boot.Tests;

/// <summary>Where the built image, Xen and the fixtures are, found from the repository root.</summary>
internal static class RepoPaths
{
    public static string Root => GuestStub.Tests.Shared.RepoRoot.Location;

    public static string GuestImage => Require(Path.Combine(Root, "out", "guest.img"), "run dotnet build (or ./build.sh build) first");

    public static string GuestElf => Require(Path.Combine(Root, "out", "guest.elf"), "run dotnet build (or ./build.sh build) first");

    /// <summary>The test image (tests/GuestStub.GuestTests), built with the product.</summary>
    public static string GuestTestsImage => Require(Path.Combine(Root, "out", "guest-tests.img"), "run dotnet build (or ./build.sh build) first");

    /// <summary>The test vectors both the host suite and the test image run.</summary>
    public static string Vectors => Path.Combine(Root, "tests", "vectors");

    /// <summary>The Xen the boot tests boot: GUESTSTUB_XEN (a release version or a path, as
    /// <c>gueststub run --xen</c> takes it), else the launcher's default release.</summary>
    public static string XenChoice =>
        Environment.GetEnvironmentVariable("GUESTSTUB_XEN") is { Length: > 0 } x ? x : GuestStub.Launch.Xen.XenImage.DefaultRelease;

    /// <summary>A Xen choice as the tests name it: a release version, or "build" for the 4.21.2
    /// feature build (<see cref="FeatureXen"/>).</summary>
    public static string Xen(string choice) => choice == "build" ? FeatureXen.Path : choice;

    /// <summary>The host tool, of the configuration these tests were built in (built before them).</summary>
    public static string Cli => Require(Path.Combine(Root, "src", "GuestStub.Cli", "bin", GuestStub.Tests.Shared.RepoRoot.Configuration, "net10.0", "gueststub.dll"),
        "build the solution first");

    private static string Require(string path, string hint) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: {hint}");

    /// <summary>A fresh scratch directory under the test output, removed by the caller if wanted.</summary>
    public static string TempDirectory(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "gueststub-boot-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
