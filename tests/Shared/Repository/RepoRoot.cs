using System;
using System.IO;
using System.Reflection;

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

    /// <summary>The build configuration this binary was built in (Debug, Release): the one the
    /// guest programs' IL was built in too, since one build builds them all.</summary>
    public static string Configuration =>
        typeof(RepoRoot).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("the test assembly names no build configuration");
}
