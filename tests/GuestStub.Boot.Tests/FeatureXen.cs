using System;
using System.IO;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// The Xen 4.21.2 feature build (static memory, static shared memory, boot-time cpupools; see
/// ../shared/xen/README.md), which no Debian package has: <c>GUESTSTUB_XEN_421</c>, else
/// ../shared/xen/xen-4.21.2-arm64 beside the checkout, where it is on the project's machines.
/// </summary>
internal static class FeatureXen
{
    public static string Path =>
        Environment.GetEnvironmentVariable("GUESTSTUB_XEN_421") is { Length: > 0 } path ? path
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoPaths.Root, "..", "shared", "xen", "xen-4.21.2-arm64"));

    /// <summary>Why a test of the feature build cannot run here, or null when it can.</summary>
    public static string? Missing =>
        File.Exists(Path) ? null : $"no Xen 4.21.2 feature build at {Path}: set GUESTSTUB_XEN_421 to one (../shared/xen/README.md says how it was built)";
}

/// <summary>A test that boots the feature build: skipped, with the reason in the test summary's
/// skipped count, on a machine that has none (a fresh clone elsewhere), never passed.</summary>
public sealed class FeatureXenFactAttribute : FactAttribute
{
    public FeatureXenFactAttribute() => Skip = FeatureXen.Missing;
}

/// <summary>The same for a theory.</summary>
public sealed class FeatureXenTheoryAttribute : TheoryAttribute
{
    public FeatureXenTheoryAttribute() => Skip = FeatureXen.Missing;
}
