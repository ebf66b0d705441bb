using Xunit;

namespace GuestStub.Boot.Tests;

/// <summary>
/// <c>gueststub run</c> shows the console through the symbolizer; its exit status is still
/// QEMU's verdict. A QEMU that failed must not end in a clean run because the console was shown.
/// </summary>
public class RunCommandTests
{
    [Fact]
    public void A_QEMU_that_fails_makes_run_fail_and_says_with_which_status()
    {
        // More RAM than any host can give: QEMU refuses to start and exits 1.
        var (code, output) = ToolRunner.Run("dotnet", RepoPaths.Cli, "run", "--bare", "--memory", "300000G");
        Assert.True(code == 1, output);
        Assert.Contains("cannot set up guest memory", output);
        Assert.Contains("gueststub run: error: QEMU exited with status 1", output);
    }

    [Fact]
    public void A_boot_that_powers_off_makes_run_succeed()
    {
        var (code, output) = ToolRunner.Run("dotnet", RepoPaths.Cli, "run", "--bare");
        Assert.True(code == 0, output);
        // Bare, nothing of Xen's is tested: every check a SKIP, which is not a failure.
        Assert.Contains("report status skipped no hypervisor node", output);
        Assert.Contains("gueststub run: verdicts: dom0 SKIP", output);
        Assert.DoesNotContain("gueststub run: error", output);
    }

    [Fact]
    public void A_boot_whose_domain_ends_in_ERROR_makes_run_fail_naming_it()
    {
        // A selection that names no check is an ERROR of its own (as xtf-runner refuses an
        // unknown test): the machine powers off, and run says which domain failed and why.
        var (code, output) = ToolRunner.Run("dotnet", RepoPaths.Cli, "run", "--append", "gueststub.checks=bogus");
        Assert.True(code == 1, output);
        Assert.Contains("gueststub run: verdicts: dom0 ERROR", output);
        Assert.Contains("gueststub run: error: dom0: Test result: ERROR", output);
    }

    [Fact]
    public void A_boot_that_outlives_its_timeout_is_stopped_and_run_says_so()
    {
        // The silent domU's image never powers the machine off within 2 s (bare, its yield to Xen
        // has nowhere to go).
        var (code, output) = ToolRunner.Run("dotnet", RepoPaths.Cli, "run", "--bare", "--timeout", "2", "--image", SilentDomU.Image());
        Assert.True(code == 1, output);
        Assert.Contains("gueststub run: error: QEMU did not exit within 2s (stopped by the timeout)", output);
    }
}
