using System.Collections.Generic;
using System.IO;

using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
namespace GuestStub.Packager.Tests.TestSupport;

/// <summary>Runs the packager in process, and writes results where llvm tools can read them.</summary>
internal static class Packaging
{
    public const string Version = "9.8.7-test";

    private static readonly ManagedTypeNames s_noTypes = ManagedTypeNames.Load(new List<string>());

    public static PackageResult Run(byte[] linked, string version = Version) => Packager.Package(linked, version, s_noTypes);

    /// <summary>Writes bytes to a fresh file under the fixture directory and returns its path.</summary>
    public static string Save(byte[] bytes, string name)
    {
        Directory.CreateDirectory(MiniGuest.Directory);
        string path = Path.Combine(MiniGuest.Directory, $"{name}-{System.Guid.NewGuid():N}");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
