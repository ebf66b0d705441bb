using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace GuestStub.Launch.Xen;

/// <summary>
/// The Xen the machine boots: a release <c>./build.sh setup</c> unpacks from Debian, named by
/// its version, or any Xen arm64 Image named by its path (a build of one's own). The choice is
/// made here once, for <c>gueststub run --xen</c>, the matrix and the boot tests.
/// </summary>
public sealed record XenImage(string Name, string Path)
{
    /// <summary>The release booted when nothing else is asked for.</summary>
    public const string DefaultRelease = "4.17";

    /// <summary>A release that setup unpacks: its version, where it lands under .cache and the
    /// Debian package it comes from.</summary>
    public sealed record Release(string Version, string CachePath, string Package);

    /// <summary>The releases setup knows, by version.</summary>
    public static IReadOnlyList<Release> Releases { get; } = new[]
    {
        new Release("4.17", "xen/boot/xen-4.17-arm64", "Debian 12's xen-hypervisor-4.17-arm64"),
        new Release("4.20", "xen-4.20/boot/xen-4.20-arm64", "Debian 13's xen-hypervisor-4.20-arm64"),
    };

    /// <summary>What <c>--xen</c> accepts, for help texts.</summary>
    public static string ChoiceHelp => string.Join(", ", Releases.Select(r => r.Version)) + " or the path of a Xen arm64 Image";

    /// <summary>
    /// <paramref name="choice"/>, a release version or a path, resolved and checked: the file
    /// exists and is an arm64 Image. A release setup has not unpacked names <c>./build.sh setup</c>.
    /// </summary>
    public static XenImage Choose(string choice, ProjectLayout layout)
    {
        if (choice.Length == 0)
            throw new LaunchException($"no Xen named: give {ChoiceHelp}");
        if (Releases.FirstOrDefault(r => r.Version == choice) is Release release)
        {
            string path = System.IO.Path.Combine(layout.Cache, release.CachePath);
            if (!File.Exists(path))
                throw new LaunchException($"Xen {release.Version} ({release.Package}) is not unpacked at {layout.Relative(path)}: run ./build.sh setup");
            return new XenImage(release.Version, path).RequireImage();
        }
        if (!File.Exists(choice))
            throw new LaunchException(Directory.Exists(choice)
                ? $"--xen {choice}: a directory, not a Xen image"
                : $"no Xen {choice}: give {ChoiceHelp}");
        return new XenImage(choice, System.IO.Path.GetFullPath(choice)).RequireImage();
    }

    /// <summary>The Xen booted when nothing else is asked for, checked.</summary>
    public static XenImage Default(ProjectLayout layout) => Choose(DefaultRelease, layout);

    /// <summary>Xen on arm64 is booted as an arm64 Image (Linux's
    /// Documentation/arch/arm64/booting.rst): magic "ARM\x64" at byte offset 0x38.</summary>
    private XenImage RequireImage()
    {
        Span<byte> header = stackalloc byte[0x40];
        using (FileStream file = File.OpenRead(Path))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
                || !header.Slice(0x38, 4).SequenceEqual("ARM\x64"u8))
                throw new LaunchException($"{Path} is not an arm64 Image (no ARM\\x64 magic at byte offset 0x38): --xen takes a Xen built for arm64");
        }
        return this;
    }
}
