using System;
using System.IO;

namespace GuestStub.Analyzers.Tests.Support;

/// <summary>The repository the tests run from, found by walking up to GuestStub.sln.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "GuestStub.sln")))
                return dir;
        throw new InvalidOperationException("GuestStub.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;
}
