using System;
using System.IO;

namespace GuestStub.Analyzers.Tests.Support;

/// <summary>The repository the tests run from (<see cref="GuestStub.Tests.Shared.RepoRoot"/>).</summary>
internal static class RepoPaths
{
    public static string Root => GuestStub.Tests.Shared.RepoRoot.Location;
}
