using System;
using System.IO;
using System.Linq;
using Xunit;

namespace GuestStub.Cli.Tests;

/// <summary>
/// The boot verbs' command lines, without booting: each verb's own help, the values and
/// combinations refused with exit 2 and the reason, <c>run --dry-run</c>'s command, the
/// completion script.
/// </summary>
public class BootCommandLineTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString().Replace("\r", ""), stderr.ToString().Replace("\r", ""));
    }

    [Theory]
    [InlineData("run", "--static-evtchn")]
    [InlineData("matrix", "--repeat")]
    [InlineData("debug", "--gdb-port")]
    [InlineData("bench-guest", "--bare")]
    [InlineData("plan", "--max-grant-frames")]
    [InlineData("completion", "bash")]
    public void Each_verb_has_its_own_help(string verb, string mentioned)
    {
        var (exit, stdout, _) = Run(verb, "--help");
        Assert.Equal(0, exit);
        Assert.Contains($"gueststub {verb}", stdout);
        Assert.Contains(mentioned, stdout);
    }

    [Theory]
    [InlineData("run", "--cpus", "9", "--cpus must be 1..8, not '9'")]
    [InlineData("matrix", "--repeat", "0", "--repeat must be 1..1000, not '0'")]
    [InlineData("debug", "--gic", "4", "--gic must be 2..3, not '4'")]
    [InlineData("bench-guest", "--xen", "", "")]
    public void Every_verb_build_sh_forwards_to_takes_no_build(string verb, string option, string value, string reason)
    {
        // ./build.sh VERB --no-build skips its build and passes the word on: the verb reads it as
        // one of its own (the line is refused for its real mistake, never for --no-build).
        var (exit, _, stderr) = Run(verb, "--no-build", option, value);
        Assert.DoesNotContain("--no-build", stderr);
        if (reason.Length > 0)
        {
            Assert.Equal(2, exit);
            Assert.Contains(reason, stderr);
        }
    }

    [Theory]
    [InlineData("--cpus must be 1..8, not '9'", "run", "--cpus", "9")]
    [InlineData("--gic must be 2..3, not '4'", "run", "--gic", "4")]
    [InlineData("--memory: '3X' is not a size like 512M or 4G", "run", "--memory", "3X")]
    [InlineData("--timeout must be a positive number of seconds, not '0'", "run", "--timeout", "0")]
    [InlineData("--domus must be 1..8, not '9'", "run", "--domus", "9")]
    [InlineData("--domu boots under Xen: it cannot be combined with --bare", "run", "--bare", "--domu")]
    [InlineData("--el2 applies to --bare only (Xen runs the guest at EL1)", "debug", "--el2")]
    [InlineData("--domu-plain, --static-evtchn, --domu-image and --no-dom0 describe domUs: boot some (--domu, --domus N)", "run", "--domu-image", "x.img", "--bare")]
    [InlineData("--static-evtchn joins each domU to dom0: it cannot be combined with --no-dom0", "run", "--no-dom0", "--static-evtchn")]
    [InlineData("--uboot boots Xen: it cannot be combined with --bare", "run", "--uboot", "--bare")]
    [InlineData("--domu describes the boot, and --config's file does that: say it there", "run", "--config", "x.cfg", "--domu")]
    [InlineData("--static-shm describes the boot, and --config's file does that: say it there", "run", "--config", "x.cfg", "--static-shm")]
    [InlineData("--direct-map needs --static-mem (booting.txt: only with statically allocated memory)", "run", "--direct-map")]
    [InlineData("--static-shm-xen-address is a form of --static-shm", "run", "--domu", "--static-shm-xen-address")]
    [InlineData("--repeat must be 1..1000, not '0'", "matrix", "--repeat", "0")]
    [InlineData("--gdb-port must be 1..65535, not 'x'", "debug", "--gdb-port", "x")]
    public void A_bad_value_or_combination_is_exit_2_with_the_reason_and_the_usage(string message, params string[] args)
    {
        var (exit, stdout, stderr) = Run(args);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        string[] lines = stderr.TrimEnd('\n').Split('\n');
        Assert.Equal($"gueststub {args[0]}: {message}", lines[0]);
        Assert.StartsWith($"usage: gueststub {args[0]} ", lines[1]);
    }

    [Fact]
    public void An_unknown_option_or_command_is_exit_2()
    {
        Assert.Equal(2, Run("run", "--frobnicate").Exit);
        var (exit, _, stderr) = Run("frobnicate");
        Assert.Equal(2, exit);
        Assert.Contains("usage: gueststub <command>", stderr);
    }

    [Fact]
    public void A_dry_run_prints_the_command_one_argument_a_line_and_boots_nothing()
    {
        var (exit, stdout, stderr) = Run("run", "--bare", "--el2", "--append", "a b", "--dry-run");
        Assert.True(exit == 0, stderr);
        string[] args = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("qemu-system-aarch64", args[0]);
        Assert.Equal("virt,gic-version=3,virtualization=on", args[Array.IndexOf(args, "-M") + 1]);
        Assert.Equal("a b", args[Array.IndexOf(args, "-append") + 1]);
        Assert.EndsWith(Path.Combine("out", "guest.img"), args[Array.IndexOf(args, "-kernel") + 1]);
    }

    [Theory]
    [InlineData("2G", "--static-shm")]
    [InlineData("2G", "--static-mem", "--direct-map")]
    [InlineData("4G", "--static-shm", "--memory", "4G")]
    public void The_static_layouts_boot_two_domUs_on_the_CI_machine_memory_unless_told_otherwise(string memory, params string[] options)
    {
        var (exit, stdout, stderr) = Run(new[] { "run", "--dry-run" }.Concat(options).ToArray());
        Assert.True(exit == 0, stderr);
        string[] args = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(memory, args[Array.IndexOf(args, "-m") + 1]);
        Assert.Equal(2, args.Count(a => a.Contains("addr=0x4a000000", StringComparison.Ordinal) || a.Contains("addr=0x4b000000", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_config_s_dry_run_is_U_Boot_serving_the_files_on_QEMU_s_user_network()
    {
        string config = Path.Combine(GuestStub.Tests.Shared.RepoRoot.Location, "tests", "fixtures", "imagebuilder", "ci-dom0less.cfg");
        var (exit, stdout, stderr) = Run("run", "--config", config, "--dry-run");
        Assert.True(exit == 0, stderr);
        string[] args = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("/usr/lib/u-boot/qemu_arm64/u-boot.bin", args[Array.IndexOf(args, "-bios") + 1]);
        Assert.Equal(("2G", "2"), (args[Array.IndexOf(args, "-m") + 1], args[Array.IndexOf(args, "-smp") + 1]));
        string netdev = args[Array.IndexOf(args, "-netdev") + 1];
        Assert.StartsWith("user,id=n0,tftp=", netdev);
        string script = File.ReadAllText(Path.Combine(netdev["user,id=n0,tftp=".Length..], "boot.source"));
        Assert.Contains("fdt set /chosen xen,xen-bootargs \"console=dtuart dom0_mem=512M console_timestamps=boot\"\n", script);
    }

    [Fact]
    public void A_config_s_mistake_is_bad_input_naming_its_line()
    {
        string config = Path.Combine(Path.GetTempPath(), "gueststub-cli-" + Guid.NewGuid().ToString("N")[..8] + ".cfg");
        File.WriteAllText(config, "MEMORY_START=0x40000000\nMEMORY_END=0x50000000\nDOMU_MEMORY[0]=256\n");
        try
        {
            var (exit, _, stderr) = Run("run", "--config", config, "--dry-run");
            Assert.Equal(1, exit);
            Assert.Equal($"gueststub run: {config}:3: DOMU_MEMORY[0] is not one of ImageBuilder's variables\n", stderr);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void A_missing_Xen_release_is_bad_input_naming_setup()
    {
        var (exit, _, stderr) = Run("run", "--xen", "/nonexistent/xen", "--dry-run");
        Assert.Equal(1, exit);
        Assert.Equal("gueststub run: no Xen /nonexistent/xen: give 4.17, 4.20 or the path of a Xen arm64 Image\n", stderr);
    }

    [Fact]
    public void The_completion_script_asks_the_tool_itself()
    {
        var (exit, stdout, _) = Run("completion", "bash");
        Assert.Equal(0, exit);
        Assert.Contains("\"[suggest:${COMP_POINT}]\" \"${COMP_LINE}\"", stdout);
        Assert.Contains("complete -o default -F _gueststub_complete gueststub", stdout);
        // What the function receives back: the options that complete the word.
        var (_, suggestions, _) = Run("[suggest:17]", "gueststub run --g");
        Assert.Equal(new[] { "--gic" }, suggestions.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        (_, suggestions, _) = Run("[suggest:12]", "gueststub ma");
        Assert.Equal(new[] { "map", "matrix" }, suggestions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }
}
