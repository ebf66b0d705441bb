using System;
using System.IO;

namespace GuestStub.Launch;

/// <summary>
/// Where a checkout keeps what the launcher boots: the images the build writes (out/), the Xen
/// releases <c>./build.sh setup</c> unpacks (.cache/) and the launcher's own work files (obj/).
/// The paths are written here once.
/// </summary>
public sealed record ProjectLayout(string Root)
{
    /// <summary>The checkout holding <paramref name="start"/> (or the current directory, then
    /// the running assembly's): the nearest directory upwards with GuestStub.sln.</summary>
    public static ProjectLayout Find(string? start = null)
    {
        foreach (string? from in new[] { start ?? Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = from is null ? null : new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GuestStub.sln")))
                    return new ProjectLayout(dir.FullName);
            }
        }
        throw new LaunchException("not inside a GuestStub checkout (no GuestStub.sln in this directory or above it)");
    }

    public string Out => Path.Combine(Root, "out");

    /// <summary>The launcher's work files (host trees, logs of the matrix and the benchmarks).</summary>
    public string Obj => Path.Combine(Root, "obj");

    public string Cache => Path.Combine(Root, ".cache");

    /// <summary>The product: out/guest.img and its ELF.</summary>
    public GuestImageFiles Guest => new(Path.Combine(Out, "guest.img"), Path.Combine(Out, "guest.elf"));

    /// <summary>The test image (tests/GuestStub.GuestTests): out/guest-tests.img and its ELF.</summary>
    public GuestImageFiles GuestTests => new(Path.Combine(Out, "guest-tests.img"), Path.Combine(Out, "guest-tests.elf"));

    /// <summary>A path relative to the root, for messages.</summary>
    public string Relative(string path) => Path.GetRelativePath(Root, path);
}

/// <summary>An image the build writes and the ELF it was packaged from (symbols for gdb and
/// the symbolizer).</summary>
public sealed record GuestImageFiles(string Image, string Elf)
{
    /// <summary>This image, or a clear error when it has not been built.</summary>
    public GuestImageFiles RequireBuilt()
    {
        if (!File.Exists(Image))
            throw new LaunchException($"{Image} is missing: run ./build.sh build first");
        return this;
    }
}
