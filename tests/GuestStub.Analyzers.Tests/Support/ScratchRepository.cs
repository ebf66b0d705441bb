using System;
using System.IO;

namespace GuestStub.Analyzers.Tests.Support;

/// <summary>
/// A copy of the repository's sources in a temporary directory, for a test that changes them and
/// runs the real build: the work tree itself is never written to. Build outputs (bin, obj, out)
/// and git's data are left out; .cache (Xen, which ./build.sh's setup wants) is linked, not
/// copied. Disposing deletes the copy.
/// </summary>
internal sealed class ScratchRepository : IDisposable
{
    private static readonly string[] s_skippedNames = { "bin", "obj", "out", ".git", ".cache", "TestResults", "BenchmarkDotNet.Artifacts" };

    public string Root { get; }

    public ScratchRepository(string name)
    {
        Root = Path.Combine(Path.GetTempPath(), "gueststub-analyzers-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Copy(new DirectoryInfo(RepoPaths.Root), Root);
        string cache = Path.Combine(RepoPaths.Root, ".cache");
        if (Directory.Exists(cache))
            Directory.CreateSymbolicLink(Path.Combine(Root, ".cache"), Path.GetFullPath(cache));
    }

    /// <summary>Writes a file at a path relative to the copy's root.</summary>
    public void Write(string relativePath, string text) => File.WriteAllText(Path.Combine(Root, relativePath), text);

    public void Dispose()
    {
        string link = Path.Combine(Root, ".cache");
        if (new FileInfo(link).LinkTarget is not null)
            File.Delete(link); // the link only, never what it points at
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }

    private static void Copy(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (FileSystemInfo entry in from.EnumerateFileSystemInfos())
        {
            if (Array.IndexOf(s_skippedNames, entry.Name) >= 0 || entry.LinkTarget is not null)
                continue;
            string target = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo dir)
                Copy(dir, target);
            else
                File.Copy(entry.FullName, target);
        }
    }
}
