using System;
using System.IO;

namespace GuestStub.Boot.Tests;

/// <summary>Where the built image, Xen and the fixtures are, found from the repository root.</summary>
internal static class RepoPaths
{
    public static string Root => GuestStub.Tests.Shared.RepoRoot.Location;

    public static string GuestImage => Require(Path.Combine(Root, "out", "guest.img"), "run ./build.sh build first");

    public static string GuestElf => Require(Path.Combine(Root, "out", "guest.elf"), "run ./build.sh build first");

    /// <summary>The test image (tests/GuestStub.GuestTests), built with the product by ./build.sh build.</summary>
    public static string GuestTestsImage => Require(Path.Combine(Root, "out", "guest-tests.img"), "run ./build.sh build first");

    /// <summary>The test vectors both the host suite and the test image run.</summary>
    public static string Vectors => Path.Combine(Root, "tests", "vectors");

    /// <summary>The Xen 4.17 arm64 hypervisor unpacked by ./build.sh setup (or GUESTSTUB_XEN).</summary>
    public static string Xen => Require(
        Environment.GetEnvironmentVariable("GUESTSTUB_XEN") is { Length: > 0 } x ? x : Path.Combine(Root, ".cache", "xen", "boot", "xen-4.17-arm64"),
        "run ./build.sh setup first");

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
