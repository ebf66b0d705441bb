using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using GuestStub.Packager.Tests.TestSupport;
using Xunit;

namespace GuestStub.Packager.Tests;

/// <summary>
/// The image build (build/GuestImage.targets) is incremental as MSBuild's own targets are: built
/// once (this project builds both images before it, tests/Shared/GuestImages.props), a second
/// build with nothing changed runs none of the image's steps and leaves every image file as it
/// was, modification time included, so `./build.sh run` boots at once and nothing downstream
/// sees a new file.
/// </summary>
public sealed class ImageBuildTests
{
    private static readonly string[] s_steps = { "GuestAssembleNative", "GuestIlc", "GuestLink", "GuestCheckCoreCalls", "GuestPackage" };

    [Theory]
    [InlineData("src/GuestStub.Guest/GuestStub.Guest.csproj", "guest")]
    [InlineData("tests/GuestStub.GuestTests/GuestStub.GuestTests.csproj", "guest-tests")]
    public void A_second_build_with_nothing_changed_rebuilds_no_image(string project, string image)
    {
        string root = RealBuild.Root;
        string[] files =
        {
            Path.Combine(root, "out", image + ".img"), Path.Combine(root, "out", image + ".elf"), Path.Combine(root, "out", image + ".size.txt"),
            Path.Combine(root, "obj", image, image + ".o"), Path.Combine(root, "obj", image, image + ".linked.elf"),
        };
        foreach (string f in files)
            Assert.True(File.Exists(f), $"{f} is missing: run dotnet build first");
        DateTime[] before = files.Select(File.GetLastWriteTimeUtc).ToArray();

        (int exit, string log) = DotnetBuild(root, project);

        Assert.True(exit == 0, log);
        Assert.Equal(before, files.Select(File.GetLastWriteTimeUtc).ToArray());
        // MSBuild says why: each step's outputs are newer than its inputs.
        foreach (string step in s_steps)
            Assert.Contains($"Skipping target \"{step}\" because all output files are up-to-date with respect to the input files.", log);
    }

    private static (int, string) DotnetBuild(string root, string project)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "build", project, "-c", GuestStub.Tests.Shared.RepoRoot.Configuration, "--no-restore", "-nologo", "-v", "d" })
            info.ArgumentList.Add(a);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build {project} did not finish in 5 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
