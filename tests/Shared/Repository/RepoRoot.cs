using System;
using System.IO;

namespace GuestStub.Tests.Shared;

/// <summary>The repository's root: the first folder above the running test or tool binary that
/// holds GuestStub.sln. The one finder every test project and the benchmarks link.</summary>
internal static class RepoRoot
{
    private static readonly Lazy<string> s_path = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GuestStub.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("GuestStub.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Location => s_path.Value;
}
