using System;
using System.IO;
using System.Text.RegularExpressions;

using GuestStub.ElfInputChecks;
using LibObjectFile.Elf;
namespace GuestStub.Packager.Tests.TestSupport;

/// <summary>
/// The files the build leaves behind (build/GuestImage.targets; the test projects build the images
/// first). A missing file fails the test with "run dotnet build first": these tests must not
/// silently skip.
/// </summary>
internal static class RealBuild
{
    public static string Root => GuestStub.Tests.Shared.RepoRoot.Location;

    public static string GuestElf => Require("out", "guest.elf");
    public static string GuestImage => Require("out", "guest.img");
    public static string SizeReport => Require("out", "guest.size.txt");
    public static string LinkedElf => Require("obj", "guest", "guest.linked.elf");
    /// <summary>ilc's relocatable object.</summary>
    public static string IlcObject => Require("obj", "guest", "guest.o");

    /// <summary>The IL assemblies ilc compiled, of the configuration these tests were built in.</summary>
    public static string[] Assemblies => new[]
    {
        Require("src", "GuestStub.Guest", "bin", GuestStub.Tests.Shared.RepoRoot.Configuration, "net10.0", "GuestStub.Guest.dll"),
        Require("src", "GuestStub.Guest", "bin", GuestStub.Tests.Shared.RepoRoot.Configuration, "net10.0", "GuestStub.Runtime.dll"),
    };

    /// <summary>The GuestStubVersion of Directory.Build.props, which the build passes to the packager.</summary>
    public static string Version
    {
        get
        {
            Match m = Regex.Match(File.ReadAllText(Path.Combine(Root, "Directory.Build.props")), "<GuestStubVersion>([^<]+)</GuestStubVersion>");
            return m.Success ? m.Groups[1].Value : throw new InvalidOperationException("no GuestStubVersion in Directory.Build.props");
        }
    }

    private static string Require(params string[] parts)
    {
        string path = Path.Combine(Root, Path.Combine(parts));
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run dotnet build first");
    }
}
