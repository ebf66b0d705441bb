using System;
using System.IO;

namespace GuestStub.Tests.TestSupport;

/// <summary>The repository (<see cref="GuestStub.Tests.Shared.RepoRoot"/>) and its fixtures.</summary>
public static class RepoPaths
{
    public static string Root => GuestStub.Tests.Shared.RepoRoot.Location;

    public static string DtsFixtures => Path.Combine(Root, "tests", "fixtures", "dts");

    /// <summary>DTBs that Xen 4.17 built, captured by tests/fixtures/xen/capture.sh.</summary>
    public static string XenFixtures => Path.Combine(Root, "tests", "fixtures", "xen");
}
