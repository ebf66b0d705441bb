using System;
using System.IO;

namespace GuestStub.Tests.TestSupport;

/// <summary>Locates the repository by walking up from the test binary to GuestStub.sln.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GuestStub.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("GuestStub.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => LazyRoot.Value;

    public static string DtsFixtures => Path.Combine(Root, "tests", "fixtures", "dts");

    /// <summary>DTBs that Xen 4.17 built, captured by tests/fixtures/xen/capture.sh.</summary>
    public static string XenFixtures => Path.Combine(Root, "tests", "fixtures", "xen");
}
