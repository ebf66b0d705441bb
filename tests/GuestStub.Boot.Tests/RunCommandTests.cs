using System.IO;
using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// <c>./build.sh run</c> passes the console through <c>gueststub symbolize</c>; its exit status is
/// still QEMU's verdict. A QEMU that failed must not end in a clean run because the pipe's last
/// command succeeded.
/// </summary>
public class RunCommandTests
{
    [Fact]
    public void A_QEMU_that_fails_makes_run_fail_and_says_with_which_status()
    {
        // More RAM than any host can give: QEMU refuses to start and exits 1.
        var (code, output) = ToolRunner.Run("bash", Path.Combine(RepoPaths.Root, "build.sh"), "run", "--bare", "--no-build",
            "--memory", "300000G");
        Assert.True(code == 1, output);
        Assert.Contains("cannot set up guest memory", output);
        Assert.Contains("build.sh: error: QEMU exited with status 1", output);
    }

    [Fact]
    public void A_boot_that_powers_off_makes_run_succeed()
    {
        var (code, output) = ToolRunner.Run("bash", Path.Combine(RepoPaths.Root, "build.sh"), "run", "--bare", "--no-build");
        Assert.True(code == 0, output);
        Assert.Contains("report status ok", output);
        Assert.DoesNotContain("build.sh: error", output);
    }
}
